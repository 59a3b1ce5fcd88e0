from hoptac.core.templatetags.vn import format_number
from hoptac.core.text import fold, sort_key


def test_fold_strips_diacritics_and_d_stroke():
    assert fold("Hợp tác xã Hải Anh") == "hop tac xa hai anh"
    assert fold("  ĐÌNH   Mộc ") == "dinh moc"
    assert fold(None) == ""


def test_sort_key_puts_d_stroke_after_d_and_before_e():
    names = ["Yên Lợi", "Đình Mộc", "Dương", "Ân", "An", "Ấp", "Em", "Zeta"]
    ordered = sorted(names, key=sort_key)
    assert ordered.index("Dương") < ordered.index("Đình Mộc") < ordered.index("Em")
    assert ordered.index("An") < ordered.index("Ân")
    assert ordered.index("Ấp") < ordered.index("Dương")


def test_sort_key_orders_numbers_by_value():
    assert sorted(["HTX số 10", "HTX số 2", "HTX số 1"], key=sort_key) == [
        "HTX số 1",
        "HTX số 2",
        "HTX số 10",
    ]


def test_vietnamese_number_format():
    assert format_number(1234567.85, 1) == "1.234.567,9"
    assert format_number(0) == "0"
    assert format_number(None) == "—"


def test_pages_start_in_vietnamese_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "<h1>Sign in</h1>" in client.get("/accounts/login/").content.decode()
