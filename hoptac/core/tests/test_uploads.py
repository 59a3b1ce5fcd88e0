"""hoptac.core.uploads: the one check of an uploaded file — extension, size, content — naming the file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.core.downloads import DOCX, XLSX
from hoptac.core.testing import JPEG, PDF, PNG, office_file
from hoptac.core.uploads import (
    DATA_FILE_TYPES,
    DOCUMENT_TYPES,
    IMPORT_TYPES,
    MB,
    allowed_text,
    check_upload,
)


def refusal(name: str, content: bytes, allowed=DOCUMENT_TYPES, max_bytes=10 * MB) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content), allowed=allowed, max_bytes=max_bytes)
    (message,) = refused.value.message_dict["file"]
    return message


@pytest.mark.parametrize(
    ("name", "content", "allowed", "content_type"),
    [
        ("bao-cao.pdf", PDF, DOCUMENT_TYPES, "application/pdf"),
        ("ANH.PNG", PNG, DOCUMENT_TYPES, "image/png"),
        ("anh.jpeg", JPEG, DOCUMENT_TYPES, "image/jpeg"),
        ("van-ban.docx", office_file("word/document.xml"), DOCUMENT_TYPES, DOCX),
        ("bang.xlsx", office_file("xl/workbook.xml"), IMPORT_TYPES, XLSX),
        ("ds.csv", "Tên;Mã\nHTX Hải Anh;0710\n".encode(), IMPORT_TYPES, "text/csv"),
        ("ds-bom.csv", "\ufeffTên\n".encode(), IMPORT_TYPES, "text/csv"),
        ("tt01.yml", "code: TT01\nname: Thông tư\n".encode(), DATA_FILE_TYPES, "application/x-yaml"),
    ],
)
def test_accepted_files_and_their_content_type(name, content, allowed, content_type):
    upload = SimpleUploadedFile(name, content)
    assert check_upload(upload, allowed=allowed, max_bytes=MB) == content_type
    assert upload.read() == content  # read from the start again


def test_a_refusal_names_the_file_and_the_reason():
    assert refusal("virus.exe", b"MZ") == (
        "Tệp “virus.exe” không được nhận: chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), JPEG, PNG."
    )
    assert refusal("ds.pdf", PDF, IMPORT_TYPES) == (
        "Tệp “ds.pdf” không được nhận: chỉ nhận tệp Excel (.xlsx), Excel 97–2003 (.xls), CSV."
    )
    assert refusal("rong.pdf", b"") == "Tệp “rong.pdf” không được nhận: tệp rỗng."
    big = SimpleUploadedFile("lon.pdf", PDF)
    big.size = 10 * MB + 1
    with pytest.raises(ValidationError) as refused:
        check_upload(big, allowed=DOCUMENT_TYPES, max_bytes=10 * MB)
    assert refused.value.message_dict["file"] == ["Tệp “lon.pdf” không được nhận: tệp lớn hơn 10 MB."]
    half = SimpleUploadedFile("nua.pdf", PDF)
    half.size = MB // 2 + 1
    with pytest.raises(ValidationError) as refused:
        check_upload(half, allowed=DOCUMENT_TYPES, max_bytes=MB // 2)
    assert refused.value.messages == ["Tệp “nua.pdf” không được nhận: tệp lớn hơn 0,5 MB."]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("gia.pdf", b"<html>not a pdf</html>", "PDF"),
        ("anh.jpg", PNG, "JPEG"),
        ("anh.png", JPEG, "PNG"),
        ("doi-ten.docx", office_file("xl/workbook.xml"), "Word (.docx)"),
        ("doi-ten.xlsx", office_file("word/document.xml"), "Excel (.xlsx)"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "Excel (.xlsx)"),
    ],
)
def test_the_content_must_be_what_the_extension_says(name, content, kind):
    assert refusal(name, content) == f"Tệp “{name}” không được nhận: nội dung không phải tệp {kind}."


def test_text_files_must_be_text():
    # A CSV saved in a Windows code page is text (its encoding is detected when it is read); binary is not.
    windows = "Tên;Mã\nÔng Bà;1\n".encode("cp1252")
    assert check_upload(SimpleUploadedFile("ds.csv", windows), allowed=IMPORT_TYPES, max_bytes=MB)
    assert refusal("ds.csv", PNG, IMPORT_TYPES).startswith("Tệp “ds.csv” không được nhận")
    assert refusal("tt01.yaml", PNG, DATA_FILE_TYPES).endswith("nội dung không phải tệp YAML (UTF-8).")


def test_the_field_is_a_parameter_and_can_be_left_to_a_form():
    with pytest.raises(ValidationError) as refused:
        check_upload(
            SimpleUploadedFile("a.exe", b"MZ"), allowed=DOCUMENT_TYPES, max_bytes=MB, field="file_TC1"
        )
    assert list(refused.value.message_dict) == ["file_TC1"]
    with pytest.raises(ValidationError) as plain:
        check_upload(SimpleUploadedFile("a.exe", b"MZ"), allowed=DOCUMENT_TYPES, max_bytes=MB, field=None)
    assert not hasattr(plain.value, "error_dict") and "a.exe" in plain.value.messages[0]


def test_allowed_text_names_each_kind_once():
    assert allowed_text((".jpg", ".jpeg", ".yml", ".yaml")) == "JPEG, YAML (UTF-8)"
