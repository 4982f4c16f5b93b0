"""civsam: how Region Västerbotten collaborates with civil society, made visible.

The package is the product; dashboard.py and pages/ only arrange it.
- the store: models, migrations, db (engine, write lock, backup), settings, reference (municipalities),
  keys (name keys, distinct values), links (activities stored with their organisation links), batches (list
  and undo), audit, people, fingerprint, demo;
- the import, above the store: filecheck (hostile files), reader (cells read in a child process with limits),
  workbook (sheets and headers), parsing (cell values), importing (one transaction per file: the run, and a
  reader per sheet kind), import_report (what an import reports), template;
- the answers: queries, totals and agreements (all SQL, each question a function the UI caches), filters;
- the telling: charts (plotly figures), builders (each chart asked of the store and drawn), narrative and
  i18n (words, sv/en), formatting, tables, presentation (the story), deck, report, images and exports (files to
  take home);
- organisations (merging spellings), cli (`python -m civsam`: click commands, each importing what it needs
  as it runs), and ui, the only part that imports Streamlit.
"""
