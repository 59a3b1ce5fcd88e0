"""Builds the shipped template of the yearly report, `hoptac/reports/report_templates/bao-cao-nam.docx`.

The committed .docx is what officers edit in Word (wording, recipients, headings, table headers); this
script only recreates it from scratch:

    .venv/bin/python scripts/build_report_template.py [OUTPUT.docx]

A developer script, not part of the runtime: the application only reads the committed .docx.

The layout follows Nghị định 30/2020/NĐ-CP (Phụ lục I): A4; margins top and bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; the letterhead table (issuing body left, quốc hiệu and tiêu ngữ right, số
and ký hiệu, place and date); title and trích yếu; numbered sections (I., 1.); page numbers centred in the
header from page 2; "Nơi nhận" bottom left and the signature bottom right. Data reaches the document
through docxtpl (Jinja) tags: `{{ … }}` values, `{%p … %}` paragraph blocks, `{%tr … %}` table rows; the
names are listed in hoptac/reports/annual/docx.py (`context`).
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TEMPLATE = (
    Path(__file__).resolve().parent.parent / "hoptac" / "reports" / "report_templates" / "bao-cao-nam.docx"
)
FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 210 mm − left 30 − right 15

# ----------------------------------------------------------------------------------------------------
# Low-level helpers


def _fonts(element, name: str = FONT) -> None:
    """Set the font for every script (Latin, East-Asian, complex) so Word and LibreOffice agree."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _style_font(style, size: float, *, bold: bool = False, italic: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    _fonts(style.element)


def _paragraph_style(document, name: str, *, size: float = 14, bold=False, italic=False, base="Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    _style_font(style, size, bold=bold, italic=italic)
    return style


def _border(paragraph, side: str = "bottom", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), "000000")
    borders.append(edge)
    ppr.append(borders)


def _rule(container, *, width_mm: float, within_mm: float) -> None:
    """A short centred horizontal line (under the issuer's name and under the trích yếu): an empty
    paragraph with a bottom border, indented on both sides."""
    paragraph = container.add_paragraph(style="Dòng kẻ")
    side = max((within_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    _border(paragraph)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tblpr.append(borders)


def _fixed_layout(table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(width / 25.4 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _shade(cell, colour: str = "E7EEF7") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    tcpr.append(shading)


def _valign(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), "center")
    tcpr.append(v)


def _cell_text(cell, text: str, *, style="Bảng", bold=False, italic=False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None


def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


# ----------------------------------------------------------------------------------------------------
# Building blocks of the report


class Builder:
    def __init__(self):
        self.document = Document()
        self._page()
        self._styles()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        # NĐ 30: page numbers centred in the top margin, from the second page.
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.style = self.document.styles["Normal"]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.paragraph_format.first_line_indent = Mm(0)
        _page_number(header)

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        _style_font(normal, 14)
        fmt = normal.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.1
        fmt.widow_control = True
        # Word's defaults reference theme fonts; make them Times New Roman too.
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault"))
            if rpr is not None and rpr.find(qn("w:rPr")) is not None:
                fonts = rpr.find(qn("w:rPr")).find(qn("w:rFonts"))
                if fonts is not None:
                    for attr in list(fonts.attrib):
                        del fonts.attrib[attr]
                    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                        fonts.set(qn(attr), FONT)
        for name in ("Header", "Footer", "Table Grid"):
            if name in [s.name for s in styles]:
                _style_font(styles[name], 13 if name == "Header" else 12)

        section = _paragraph_style(self.document, "Mục", bold=True)
        section.paragraph_format.keep_with_next = True
        section.paragraph_format.space_before = Pt(6)
        subsection = _paragraph_style(self.document, "Tiểu mục", bold=True)
        subsection.paragraph_format.keep_with_next = True
        point = _paragraph_style(self.document, "Điểm", italic=True, bold=True)
        point.paragraph_format.keep_with_next = True

        center = _paragraph_style(self.document, "Giữa")
        center.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        center.paragraph_format.first_line_indent = Mm(0)
        center.paragraph_format.space_after = Pt(0)
        center.paragraph_format.line_spacing = 1.0

        caption = _paragraph_style(self.document, "Tên bảng", size=13, bold=True, base="Giữa")
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(3)
        caption.paragraph_format.keep_with_next = True
        source = _paragraph_style(self.document, "Ghi chú bảng", size=12, italic=True)
        source.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        source.paragraph_format.first_line_indent = Mm(0)
        source.paragraph_format.space_before = Pt(2)

        table = _paragraph_style(self.document, "Bảng", size=11)
        table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        table.paragraph_format.first_line_indent = Mm(0)
        table.paragraph_format.space_before = Pt(1)
        table.paragraph_format.space_after = Pt(1)
        table.paragraph_format.line_spacing = 1.0
        number = _paragraph_style(self.document, "Bảng số", size=11, base="Bảng")
        number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head = _paragraph_style(self.document, "Bảng tiêu đề", size=11, bold=True, base="Bảng")
        head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

        rule = _paragraph_style(self.document, "Dòng kẻ", size=2, base="Giữa")
        rule.paragraph_format.space_after = Pt(0)

        recipients_head = _paragraph_style(self.document, "Nơi nhận", size=12, bold=True, italic=True)
        recipients_head.paragraph_format.first_line_indent = Mm(0)
        recipients_head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        recipients_head.paragraph_format.space_after = Pt(0)
        recipients = _paragraph_style(self.document, "Danh sách nơi nhận", size=11)
        recipients.paragraph_format.first_line_indent = Mm(0)
        recipients.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        recipients.paragraph_format.space_after = Pt(0)
        recipients.paragraph_format.line_spacing = 1.0
        signature = _paragraph_style(self.document, "Chữ ký", bold=True, base="Giữa")
        signature.paragraph_format.space_after = Pt(0)

        placeholder = _paragraph_style(self.document, "Nội dung bổ sung", italic=True)
        placeholder.font.highlight_color = WD_COLOR_INDEX.YELLOW

    # -- text ---------------------------------------------------------------------------------------

    def p(self, text: str = "", style: str = "Normal", *, bold=False, italic=False):
        paragraph = self.document.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
        return paragraph

    def tag(self, text: str) -> None:
        """A paragraph holding only a {%p … %} tag: docxtpl removes the paragraph itself."""
        self.document.add_paragraph(text, style="Normal")

    def runs(self, parts: list[tuple[str, str]], style: str = "Normal"):
        """A paragraph of runs: ("b", text) bold, ("i", text) italic, ("", text) plain."""
        paragraph = self.document.add_paragraph(style=style)
        for kind, text in parts:
            run = paragraph.add_run(text)
            run.bold = "b" in kind or None
            run.italic = "i" in kind or None
        return paragraph

    # -- tables -------------------------------------------------------------------------------------

    def table(
        self,
        *,
        caption: str,
        headers: list[str],
        widths: list[float],
        cells: list[str],
        loop: str,
        numeric: list[bool],
        total: list[str] | None = None,
        note: str = "",
        keep: bool = True,
    ):
        """A table whose body rows repeat over `loop` (`{%tr for … %}`), with an optional total row."""
        self.p(caption, "Tên bảng")
        table = self.document.add_table(rows=0, cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        head = table.add_row()
        _repeat_header(head)
        for cell, text in zip(head.cells, headers, strict=True):
            _cell_text(cell, text, style="Bảng tiêu đề")
            _shade(cell)
            _valign(cell)
        start = table.add_row()
        _cell_text(start.cells[0], f"{{%tr for {loop} %}}")
        body = table.add_row()
        _cant_split(body)
        for cell, text, is_number in zip(body.cells, cells, numeric, strict=True):
            _cell_text(cell, text, style="Bảng số" if is_number else "Bảng")
        end = table.add_row()
        _cell_text(end.cells[0], "{%tr endfor %}")
        if total:
            row = table.add_row()
            _cant_split(row)
            for cell, text, is_number in zip(row.cells, total, numeric, strict=True):
                _cell_text(cell, text, style="Bảng số" if is_number else "Bảng", bold=True)
        _fixed_layout(table, widths)
        if keep:
            # A short table stays on one page: every row keeps with the next one (but the last).
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        if note:
            self.p(note, "Ghi chú bảng")
        return table

    def image(self, name: str, caption: str) -> None:
        self.tag(f"{{%p if {name} %}}")
        paragraph = self.p("", "Giữa")
        paragraph.add_run(f"{{{{ {name} }}}}")
        paragraph.paragraph_format.keep_with_next = True
        self.p(caption, "Tên bảng").paragraph_format.keep_with_next = False
        self.tag("{%p endif %}")

    # -- letterhead, title, closing -----------------------------------------------------------------

    def letterhead(self) -> None:
        table = self.document.add_table(rows=2, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        first = left.paragraphs[0]
        first.style = "Giữa"
        first.add_run("{%p for line in lh.issuer_lines %}")
        p = left.add_paragraph(style="Giữa")
        run = p.add_run("{{ line }}")
        run.bold = True
        run.font.size = Pt(13)
        left.add_paragraph("{%p endfor %}", style="Giữa")
        _rule(left, width_mm=22, within_mm=62)

        p = right.paragraphs[0]
        p.style = "Giữa"
        run = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        run.bold = True
        run.font.size = Pt(12.5)
        p = right.add_paragraph(style="Giữa")
        run = p.add_run("Độc lập - Tự do - Hạnh phúc")
        run.bold = True
        run.underline = True
        run.font.size = Pt(13.5)

        number, date = table.rows[1].cells
        p = number.paragraphs[0]
        p.style = "Giữa"
        p.paragraph_format.space_before = Pt(6)
        run = p.add_run("Số: {{ lh.number_text }}/{{ lh.symbol }}")
        run.font.size = Pt(13)
        p = date.paragraphs[0]
        p.style = "Giữa"
        p.paragraph_format.space_before = Pt(6)
        run = p.add_run("{{ lh.place }}, {{ lh.date_text }}")
        run.italic = True
        _fixed_layout(table, [62, 103])

    def title(self) -> None:
        self.p("", "Giữa")
        p = self.p("BÁO CÁO", "Giữa", bold=True)
        p.paragraph_format.space_before = Pt(12)
        self.p("{{ subject }}", "Giữa", bold=True)
        self.tag("{%p if provisional %}")
        self.p("(Số liệu tạm tính, chưa được tiếp nhận đầy đủ)", "Giữa", italic=True)
        self.tag("{%p endif %}")
        _rule(self.document, width_mm=45, within_mm=TEXT_WIDTH_MM)
        self.p("", "Giữa")

    def closing(self) -> None:
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        head = left.paragraphs[0]
        head.style = "Nơi nhận"
        head.paragraph_format.space_before = Pt(12)
        head.add_run("Nơi nhận:")
        left.add_paragraph("{%p for r in lh.recipients %}", style="Danh sách nơi nhận")
        left.add_paragraph("- {{ r }}", style="Danh sách nơi nhận")
        left.add_paragraph("{%p endfor %}", style="Danh sách nơi nhận")

        first = right.paragraphs[0]
        first.style = "Chữ ký"
        first.paragraph_format.space_before = Pt(12)
        first.add_run("{{ lh.authority }}")
        right.add_paragraph("{%p if lh.deputy %}", style="Chữ ký")
        right.add_paragraph("{{ lh.deputy }}", style="Chữ ký")
        right.add_paragraph("{%p endif %}", style="Chữ ký")
        right.add_paragraph("{{ lh.signer_title }}", style="Chữ ký")
        for _ in range(4):
            right.add_paragraph("", style="Chữ ký")
        right.add_paragraph("{{ lh.signer_name }}", style="Chữ ký")
        _fixed_layout(table, [80, 85])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.document.core_properties.title = "Báo cáo kết quả thực hiện kế hoạch năm"
        self.document.core_properties.author = "HợpTác"
        self.document.core_properties.language = "vi-VN"
        self.document.save(path)


# ----------------------------------------------------------------------------------------------------
# The report


def build(path: Path = TEMPLATE) -> Path:
    b = Builder()
    b.letterhead()
    b.title()

    b.p(
        "Thực hiện Kế hoạch số {{ plan.number }} ngày {{ plan.issued_on }} của {{ plan.issuer }} "
        "{{ plan.about }}, {{ lh.issuer_name }} báo cáo kết quả thực hiện năm {{ year }} như sau:"
    )
    b.tag("{%p if merged %}")
    b.p(
        "Từ ngày 01/7/2025, địa bàn tỉnh {{ plan_province }} thuộc tỉnh {{ lh.place }}. Số liệu trong báo cáo "
        "được tính trên địa bàn của Kế hoạch (tỉnh {{ plan_province }} trước ngày 01/7/2025), kể cả các tổ chức "
        "thành lập sau ngày đó tại các xã, phường mới kế thừa địa bàn cũ."
    )
    b.tag("{%p endif %}")
    b.p(
        "Số liệu tính đến ngày {{ as_of }}, tổng hợp từ hệ thống HợpTác: tình trạng pháp lý của các tổ chức "
        "tại ngày này và số liệu hằng năm năm {{ data_year }} (kỳ cập nhật đến ngày 15/12). {{ provenance }}"
        "{% if partial %} Năm {{ year }} chưa kết thúc nên số liệu là số liệu tạm tính.{% endif %}",
        italic=True,
    )

    # I. ------------------------------------------------------------------------------------------
    b.p("I. TÌNH HÌNH KINH TẾ TẬP THỂ NĂM {{ year }}", "Mục")
    b.p("1. Số lượng tổ chức kinh tế tập thể", "Tiểu mục")
    b.p(
        "Đến ngày {{ as_of }}, trên địa bàn có {{ total.end }} tổ chức kinh tế tập thể, gồm {{ k.htx.end }} hợp "
        "tác xã, {{ k.lhhtx.end }} liên hiệp hợp tác xã, {{ k.tht.end }} tổ hợp tác và {{ k.qtdnd.end }} quỹ "
        "tín dụng nhân dân. Trong năm {{ year }} thành lập mới {{ total.new }} tổ chức ({{ k.htx.new }} hợp tác "
        "xã, {{ k.tht.new }} tổ hợp tác); {{ total.ceased }} tổ chức giải thể hoặc chấm dứt hoạt động. "
        "Số tổ chức đang hoạt động là {{ total.active }} ({{ total.active_share }})."
    )
    b.table(
        caption="Bảng {{ no.t.kinds }}. Số lượng tổ chức kinh tế tập thể theo loại hình",
        headers=[
            "TT",
            "Loại hình",
            "Đầu năm",
            "Thành lập mới",
            "Giải thể, chấm dứt",
            "Cuối năm",
            "Đang hoạt động",
        ],
        widths=[10, 55, 20, 20, 20, 20, 20],
        cells=[
            "{{ r.number }}",
            "{{ r.label }}",
            "{{ r.start }}",
            "{{ r.new }}",
            "{{ r.ceased }}",
            "{{ r.end }}",
            "{{ r.active }}",
        ],
        numeric=[False, False, True, True, True, True, True],
        loop="r in kinds",
        total=[
            "",
            "Tổng cộng",
            "{{ total.start }}",
            "{{ total.new }}",
            "{{ total.ceased }}",
            "{{ total.end }}",
            "{{ total.active }}",
        ],
        note="Đầu năm: ngày {{ start_day }}; cuối năm: ngày {{ as_of }}. Chi tiết tại Biểu 01.",
    )

    b.p("2. Theo lĩnh vực hoạt động", "Tiểu mục")
    b.p("Theo lĩnh vực hoạt động, các tổ chức kinh tế tập thể gồm: {{ sectors_sentence }}.")
    b.table(
        caption="Bảng {{ no.t.sectors }}. Số lượng tổ chức kinh tế tập thể theo lĩnh vực",
        headers=["TT", "Lĩnh vực", "HTX", "LHHTX", "THT", "QTDND", "Tổng số"],
        widths=[10, 63, 18, 18, 18, 18, 20],
        cells=[
            "{{ r.number }}",
            "{{ r.label }}",
            "{{ r.htx }}",
            "{{ r.lhhtx }}",
            "{{ r.tht }}",
            "{{ r.qtdnd }}",
            "{{ r.total }}",
        ],
        numeric=[False, False, True, True, True, True, True],
        loop="r in sectors",
        total=[
            "",
            "Tổng cộng",
            "{{ sectors_total.htx }}",
            "{{ sectors_total.lhhtx }}",
            "{{ sectors_total.tht }}",
            "{{ sectors_total.qtdnd }}",
            "{{ sectors_total.total }}",
        ],
        note="Chi tiết tại Biểu 02.",
    )
    b.image(
        "chart_sectors", "Hình {{ no.f.chart_sectors }}. Tổ chức kinh tế tập thể theo lĩnh vực và loại hình"
    )

    b.p("3. Theo địa bàn", "Tiểu mục")
    b.p(
        "Số liệu theo địa bàn được tổng hợp theo {{ area_basis }}; số liệu theo {{ commune_basis }} tại Biểu 04. "
        "{{ districts_sentence }}"
    )
    b.table(
        caption="Bảng {{ no.t.districts }}. Số lượng tổ chức kinh tế tập thể theo địa bàn {{ area_caption }}",
        headers=["TT", "{{ area_header }}", "HTX", "LHHTX", "THT", "QTDND", "Tổng số"],
        widths=[10, 63, 18, 18, 18, 18, 20],
        cells=[
            "{{ r.number }}",
            "{{ r.label }}",
            "{{ r.htx }}",
            "{{ r.lhhtx }}",
            "{{ r.tht }}",
            "{{ r.qtdnd }}",
            "{{ r.total }}",
        ],
        numeric=[False, False, True, True, True, True, True],
        loop="r in districts",
        total=[
            "",
            "Tổng cộng",
            "{{ districts_total.htx }}",
            "{{ districts_total.lhhtx }}",
            "{{ districts_total.tht }}",
            "{{ districts_total.qtdnd }}",
            "{{ districts_total.total }}",
        ],
        note="Chi tiết tại Biểu 03 và Biểu 04.",
    )

    b.p("4. Thành viên, lao động và kết quả sản xuất, kinh doanh", "Tiểu mục")
    b.p(
        "Theo số liệu hằng năm năm {{ data_year }} ({{ fin_total.with_data }}/{{ fin_total.organisations }} tổ "
        "chức đã cập nhật), các tổ chức kinh tế tập thể có {{ fin_total.members }} thành viên, trong đó "
        "{{ fin_total.official_members }} thành viên chính thức, và {{ fin_total.workers }} lao động. Tổng doanh "
        "thu đạt {{ fin_total.revenue }} triệu đồng, lợi nhuận {{ fin_total.profit }} triệu đồng. Doanh thu bình "
        "quân một hợp tác xã đạt {{ fin_htx.revenue_average }} triệu đồng, lợi nhuận bình quân "
        "{{ fin_htx.profit_average }} triệu đồng."
    )
    b.table(
        caption="Bảng {{ no.t.finance }}. Thành viên, lao động, doanh thu và lợi nhuận theo loại hình",
        headers=[
            "Loại hình",
            "Tổ chức có số liệu",
            "Thành viên",
            "Lao động",
            "Doanh thu (triệu đồng)",
            "Lợi nhuận (triệu đồng)",
            "Doanh thu bình quân (tr.đ/tổ chức)",
        ],
        widths=[33, 24, 21, 18, 23, 22, 24],
        cells=[
            "{{ r.label }}",
            "{{ r.with_data }}/{{ r.organisations }}",
            "{{ r.members }}",
            "{{ r.workers }}",
            "{{ r.revenue }}",
            "{{ r.profit }}",
            "{{ r.revenue_average }}",
        ],
        numeric=[False, True, True, True, True, True, True],
        loop="r in finance",
        total=[
            "Tổng cộng",
            "{{ fin_total.with_data }}/{{ fin_total.organisations }}",
            "{{ fin_total.members }}",
            "{{ fin_total.workers }}",
            "{{ fin_total.revenue }}",
            "{{ fin_total.profit }}",
            "{{ fin_total.revenue_average }}",
        ],
        note="Tổ chức chưa cập nhật số liệu năm không được tính (không coi là 0). Chi tiết tại Biểu 05.",
    )

    b.p("5. Kết quả đánh giá, xếp loại", "Tiểu mục")
    b.tag("{%p if ratings.available %}")
    b.tag("{%p if ratings.shown %}")
    b.tag("{%p if ratings.fallback %}")
    b.p(
        "Đến ngày {{ as_of }}, chưa có kết quả đánh giá, xếp loại năm {{ data_year }} được phê duyệt; số liệu "
        "dưới đây là kết quả năm {{ ratings.year }}, năm gần nhất có kết quả được phê duyệt.",
        italic=True,
    )
    b.tag("{%p endif %}")
    b.p(
        "Kết quả đánh giá, xếp loại năm {{ ratings.year }} đã được phê duyệt của {{ ratings.assessed }}/"
        "{{ ratings.population }} hợp tác xã, liên hiệp hợp tác xã: loại tốt {{ ratings.good }}, loại khá "
        "{{ ratings.fair }}, loại trung bình {{ ratings.average }}, loại yếu {{ ratings.weak }}; "
        "{{ ratings.not_rated }} tổ chức thuộc trường hợp không xếp loại; {{ ratings.not_assessed }} tổ chức "
        "chưa có kết quả được phê duyệt. Tỷ lệ đạt loại tốt, khá là {{ ratings.share_good_fair }} số tổ chức "
        "được xếp loại{{ ratings.compare_sentence }}."
    )
    b.table(
        caption="Bảng {{ no.t.ratings }}. Kết quả xếp loại hợp tác xã, liên hiệp hợp tác xã năm {{ ratings.year }}",
        headers=["TT", "Xếp loại", "Số tổ chức", "Tỷ lệ (% số được xếp loại)"],
        widths=[10, 85, 30, 40],
        cells=["{{ r.number }}", "{{ r.label }}", "{{ r.count }}", "{{ r.share }}"],
        numeric=[False, False, True, True],
        loop="r in ratings.rows",
        total=["", "Tổng số hợp tác xã, liên hiệp hợp tác xã", "{{ ratings.population }}", ""],
        note="Chi tiết tại Biểu 06.",
    )
    b.image("chart_ratings", "Hình {{ no.f.chart_ratings }}. Kết quả xếp loại năm {{ ratings.year }}")
    for key, title, loop, total in (
        ("ratings_kind", "theo loại hình", "ratings.by_kind", "ratings.total"),
        ("ratings_sector", "theo lĩnh vực", "ratings.by_sector", "ratings.total"),
    ):
        b.table(
            caption=f"Bảng {{{{ no.t.{key} }}}}. Kết quả xếp loại {title}, năm {{{{ ratings.year }}}} so với năm "
            "{{ ratings.previous_year }}",
            headers=[
                "TT",
                "Lĩnh vực" if key == "ratings_sector" else "Loại hình",
                "Tốt",
                "Khá",
                "Trung bình",
                "Yếu",
                "Được xếp loại",
                "Tỷ lệ tốt, khá",
                "Năm {{ ratings.previous_year }}: tỷ lệ tốt, khá",
            ],
            widths=[9, 45, 13, 13, 17, 13, 18, 18, 22],
            cells=[
                "{{ r.number }}",
                "{{ r.label }}",
                "{{ r.good }}",
                "{{ r.fair }}",
                "{{ r.average }}",
                "{{ r.weak }}",
                "{{ r.rated }}",
                "{{ r.share }}",
                "{{ r.share_before }}",
            ],
            numeric=[False, False, True, True, True, True, True, True, True],
            loop=f"r in {loop.replace('ratings.', 'ratings.')}",
            total=[
                "",
                "Tổng cộng",
                f"{{{{ {total}.good }}}}",
                f"{{{{ {total}.fair }}}}",
                f"{{{{ {total}.average }}}}",
                f"{{{{ {total}.weak }}}}",
                f"{{{{ {total}.rated }}}}",
                f"{{{{ {total}.share }}}}",
                f"{{{{ {total}.share_before }}}}",
            ],
            note="Tỷ lệ tốt, khá tính trên số được xếp loại (tốt, khá, trung bình, yếu). Theo xã, phường: Biểu 06.",
        )
    b.tag("{%p else %}")
    b.p(
        "Đến ngày {{ as_of }}, chưa có kết quả đánh giá, xếp loại được phê duyệt "
        "({{ ratings.population }} hợp tác xã, liên hiệp hợp tác xã chưa có kết quả)."
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("Hệ thống chưa ghi nhận kết quả đánh giá, xếp loại đã được phê duyệt.")
    b.tag("{%p endif %}")

    # II. -----------------------------------------------------------------------------------------
    b.p("II. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CỦA KẾ HOẠCH", "Mục")
    b.p(
        "Kế hoạch có {{ targets|length }} mục tiêu. Đến ngày {{ as_of }}: {{ statuses_sentence }}. Kết quả từng "
        "mục tiêu như sau:"
    )
    b.table(
        caption="Bảng {{ no.t.targets }}. Kết quả thực hiện các mục tiêu",
        headers=[
            "TT",
            "Nội dung mục tiêu",
            "Đơn vị tính",
            "Năm {{ plan.baseline_year }}",
            "Năm {{ year }}",
            "Chỉ tiêu",
            "Tình trạng",
            "Dự báo năm đích",
            "Mức tăng cần đạt mỗi năm",
        ],
        widths=[9, 40, 15, 14, 14, 19, 19, 17, 18],
        cells=[
            "{{ t.number }}",
            "{{ t.text }} (đến năm {{ t.deadline_year }})",
            "{{ t.unit }}",
            "{{ t.baseline }}",
            "{{ t.value }}",
            "{{ t.goal }}",
            "{{ t.status_label }}",
            "{{ t.forecast }}",
            "{{ t.pace_short }}",
        ],
        numeric=[False, False, False, True, True, False, False, True, True],
        loop="t in targets",
        keep=False,
        note="Dự báo theo xu thế tuyến tính các năm đủ số liệu. Chi tiết tại Biểu 07.",
    )
    b.image(
        "chart_targets",
        "Hình {{ no.f.chart_targets }}. Mức độ thực hiện các mục tiêu so với năm gốc {{ plan.baseline_year }}",
    )
    b.tag("{%p if attention %}")
    b.p("Các mục tiêu cần tập trung chỉ đạo:", italic=True)
    b.tag("{%p for g in attention %}")
    b.runs([("i", "- {{ g.label }} ({{ g.count }} mục tiêu): "), ("", "{{ g.names }}.")])
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    # III. ----------------------------------------------------------------------------------------
    b.p("III. TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ", "Mục")
    b.p("1. Phân công và báo cáo tiến độ", "Tiểu mục")
    b.p("{{ tasks.sentence }}")
    b.table(
        caption="Bảng {{ no.t.tasks }}. Các nhiệm vụ và tình hình báo cáo năm {{ year }}",
        headers=[
            "TT",
            "Nhiệm vụ",
            "Cơ quan chủ trì",
            "Kỳ đến hạn",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa nộp",
            "Tiến độ",
        ],
        widths=[9, 56, 28, 14, 14, 14, 14, 16],
        cells=[
            "{{ l.number }}",
            "{{ l.code }}. {{ l.text }}",
            "{{ l.lead }}",
            "{{ l.due }}",
            "{{ l.on_time }}",
            "{{ l.late }}",
            "{{ l.overdue }}",
            "{{ l.progress }}",
        ],
        numeric=[False, False, False, True, True, True, True, False],
        loop="l in tasks.lines",
        keep=False,
        total=[
            "",
            "Tổng cộng",
            "",
            "{{ tasks.due }}",
            "{{ tasks.on_time }}",
            "{{ tasks.late }}",
            "{{ tasks.overdue }}",
            "",
        ],
        note="Chưa nộp: kỳ báo cáo đã quá hạn mà chưa nộp tại ngày {{ as_of }}. Chi tiết tại Biểu 08.",
    )
    b.p("2. Khó khăn, vướng mắc", "Tiểu mục")
    b.tag("{%p if tasks.difficulties %}")
    b.p("Các cơ quan chủ trì nêu những khó khăn, vướng mắc sau (trích báo cáo tiến độ):")
    b.tag("{%p for d in tasks.difficulties %}")
    b.runs(
        [
            ("", "- {{ d.agency }} ("),
            ("i", "nhiệm vụ {{ d.task_code }}, {{ d.period }}"),
            ("", "): “{{ d.text }}”"),
        ]
    )
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("{{ tasks.no_difficulties }}")
    b.tag("{%p endif %}")

    # IV. -----------------------------------------------------------------------------------------
    b.p("IV. ĐỀ XUẤT, KIẾN NGHỊ", "Mục")
    b.p(
        "[Nội dung do cơ quan soạn thảo bổ sung: các đề xuất, kiến nghị với Trung ương, Tỉnh ủy, Hội đồng nhân "
        "dân tỉnh và các nhiệm vụ, giải pháp trọng tâm năm tới. Xóa đoạn đánh dấu này khi hoàn thiện.]",
        "Nội dung bổ sung",
    )
    b.p("1. ……………………………………………………………………………", "Nội dung bổ sung")
    b.p("2. ……………………………………………………………………………", "Nội dung bổ sung")

    b.p(
        "Kèm theo báo cáo này là các biểu phụ lục số liệu (tệp Excel “{{ annex_file }}”):",
    )
    b.tag("{%p for a in annexes %}")
    b.p("- {{ a.code }}. {{ a.title }}{{ '.' if loop.last else ';' }}")
    b.tag("{%p endfor %}")
    b.p(
        "Trên đây là báo cáo kết quả thực hiện Kế hoạch số {{ plan.number }} năm {{ year }} của "
        "{{ lh.issuer_name }}./."
    )
    b.closing()
    b.save(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE
    print(build(target))
