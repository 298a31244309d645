"""The fixed XML parts of an XLSX workbook (ECMA-376), for worksheets written elsewhere."""

from xml.sax.saxutils import quoteattr

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DATETIME_STYLE = 1  # the index in cellXfs of `yyyy-mm-dd hh:mm:ss`

STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
ROOT_RELATIONSHIPS = (
    f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
FROZEN_HEADER = (
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
)
SHEET_END = "</sheetData></worksheet>"


def worksheet_path(number: int) -> str:
    return f"xl/worksheets/sheet{number}.xml"


def fixed_parts(sheet_names: list[str]) -> dict[str, str]:
    """Every part but the worksheets, by path in the ZIP, for these sheets in order."""
    return {
        "[Content_Types].xml": _content_types(len(sheet_names)),
        "_rels/.rels": ROOT_RELATIONSHIPS,
        "xl/workbook.xml": _workbook(sheet_names),
        "xl/_rels/workbook.xml.rels": _workbook_relationships(len(sheet_names)),
        "xl/styles.xml": STYLES,
    }


def sheet_start(last_cell: str, frozen_header: bool, selected: bool) -> str:
    """A worksheet up to its first row: size, view (header frozen or not) and sheetData."""
    pane = FROZEN_HEADER if frozen_header else ""
    selection = ' tabSelected="1"' if selected else ""
    return (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<dimension ref="A1:{last_cell}"/><sheetViews>'
        f'<sheetView{selection} workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )


def _content_types(sheets: int) -> str:
    overrides = [("/xl/workbook.xml", f"{TYPE}.sheet.main+xml")]
    overrides += [(f"/{worksheet_path(n)}", f"{TYPE}.worksheet+xml") for n in _numbers(sheets)]
    overrides.append(("/xl/styles.xml", f"{TYPE}.styles+xml"))
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )


def _workbook(sheet_names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in zip(_numbers(len(sheet_names)), sheet_names, strict=True)
    )
    return (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_relationships(sheets: int) -> str:
    links = [(f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml") for n in _numbers(sheets)]
    links.append((f"rId{sheets + 1}", "styles", "styles.xml"))
    return (
        f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="{i}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"/>'
            for i, kind, target in links
        )
        + "</Relationships>"
    )


def _numbers(count: int) -> range:
    return range(1, count + 1)
