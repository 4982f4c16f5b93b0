"""The Streamlit layer: the only part of civsam that imports streamlit.

`state` holds the cached engine, cached queries and the shared filters;
`widgets` draws charts, tables and downloads the same way on every page.
"""
