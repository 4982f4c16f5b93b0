"""civsam: how Region Västerbotten collaborates with civil society, made visible.

The package is the product: the store (`models`, `db`), the Excel import
(`workbook`, `parsing`, `importer`), demo data (`demo`), the template
(`template`), queries (`queries`) and the command line (`cli`).
Only `civsam.ui` imports Streamlit.
"""
