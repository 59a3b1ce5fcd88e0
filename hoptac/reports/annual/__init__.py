"""The yearly report on a plan's implementation (issue #6).

* `data.py`: every figure, from the indicator engine (hoptac.plans) and the tasks app; plain functions.
* `charts.py`: the charts (matplotlib, Agg, DejaVu Sans for the Vietnamese letters).
* `docx.py`: the .docx, rendered with docxtpl from `hoptac/reports/report_templates/bao-cao-nam.docx`, a
  file an officer edits in Word (regenerate the shipped one with `python scripts/build_report_template.py`).
* `annexes.py`: the Excel annexes (biểu phụ lục), one sheet per table, SUM formulas in the totals.
* `build.py`: all of it for one plan and year, as files or as one .zip.
"""
