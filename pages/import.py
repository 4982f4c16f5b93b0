"""Import (coordinators): the template, an upload checked before anything is stored, a preview of the
rows that cannot be stored and why, the import itself, and the history with undo. It calls the same
functions as `python -m civsam import`. Others see the template and the history without names."""

import hashlib

import streamlit as st

from civsam import tables
from civsam.audit import entries
from civsam.batches import UndoError, list_batches, undo_batch
from civsam.demo import clear_demo, has_demo_data
from civsam.filecheck import MAX_FILE_MB
from civsam.formatting import format_date, format_number
from civsam.i18n import sector_name, t
from civsam.importing import import_file
from civsam.survey_template import survey_template_bytes
from civsam.template import template_bytes
from civsam.ui import account, state, widgets

lang = state.context().lang
access = account.access()
engine = state.engine()
st.title(t(lang, "page_import"))
st.write(t(lang, "import_intro"))
st.caption(t(lang, "purpose"))
widgets.editing_note(lang, "import")
st.download_button(t(lang, "download_template"), template_bytes(), file_name="civsam-mall.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/download:")
st.download_button(t(lang, "download_survey_template"), survey_template_bytes(), file_name="civsam-enkat.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/download:")
if message := st.session_state.pop("import_message", None):
    st.success(message)


def upload() -> None:
    """The upload, its check and, once confirmed, the import."""
    round_number = st.session_state.setdefault("upload_round", 0)
    # Streamlit's own words in the box ("Drag and drop", "Upload", "25MB per file") cannot be changed: README,
    # Known limits. The label and the help say it in Swedish.
    chosen = st.file_uploader(t(lang, "upload", mb=MAX_FILE_MB), type=["xlsx", "xlsm", "xls", "ods"],
                              key=f"upload_{round_number}", help=t(lang, "upload_help"))
    if chosen is None:
        return
    content = chosen.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    previews = st.session_state.setdefault("previews", {})
    if digest not in previews:
        previews[digest] = import_file(engine, content, chosen.name, user=access.who, dry_run=True)
    preview = previews[digest]
    st.subheader(t(lang, "preview_heading", file=widgets.plain(preview.file_name)), anchor=False)
    if preview.error:
        st.error(widgets.plain(preview.error))
        return
    st.write(t(lang, "preview_counts", **{name: format_number(count) for name, count in (
        ("rows", preview.rows_read), ("new", preview.imported), ("updated", preview.updated),
        ("duplicates", preview.duplicates), ("rejected", preview.rejected_rows))}))
    if preview.rejected:
        st.markdown(f"**{t(lang, 'rejected_heading')}**")
        widgets.rejections(preview, lang)
    for sheet, added in preview.added_by_sheet().items():
        named = ", ".join(f"{widgets.plain(each.name)} ({sector_name(lang, each.sector).lower()})" for each in added)
        st.info(t(lang, "added_organisations", sheet=widgets.plain(sheet), names=named))
    if preview.ignored_columns:
        st.caption(t(lang, "ignored", columns=widgets.plain(", ".join(preview.ignored_columns))))
    if preview.cleaned_cells:
        st.info(t(lang, "cleaned_cells", count=preview.cleaned_cells))
    if preview.unknown_questions:
        st.warning(t(lang, "survey_unknown_questions", questions=widgets.plain("; ".join(preview.unknown_questions))))
    if preview.personal_data_left_out:
        st.info(t(lang, "survey_personal_left_out", columns=widgets.plain(", ".join(preview.personal_data_left_out))))
    changes = preview.imported + preview.updated
    if not changes:
        st.info(t(lang, "confirm_nothing"))
    elif st.button(t(lang, "confirm", count=changes), type="primary"):
        report = import_file(engine, content, chosen.name, user=access.who)
        state.data_changed()
        previews.clear()
        st.session_state["upload_round"] = round_number + 1
        st.session_state["import_message"] = t(lang, "imported", batch=report.batch_id)
        st.rerun()


def undo(history) -> None:
    """Undo an import not yet undone, once the coordinator has confirmed it: one click would otherwise take away
    thousands of activities."""
    active = history[history["undone_at"].isna()].set_index("id")
    if active.empty:
        return
    with st.form("undo"):
        batch = st.selectbox(t(lang, "undo"), active.index.tolist(), index=None, placeholder=t(lang, "undo_choose"),
                             format_func=lambda b: t(lang, "undo_option", batch=b, file=active.at[b, "file_name"],
                                                     when=format_date(active.at[b, "imported_at"]),
                                                     count=active.at[b, "imported"] + active.at[b, "updated"]))
        sure = st.checkbox(t(lang, "undo_sure"))
        if st.form_submit_button(t(lang, "undo_button")) and batch is not None:
            if not sure:
                st.warning(t(lang, "undo_confirm_first"))
                return
            try:
                undo_batch(engine, int(batch), access.who)
            except UndoError as error:
                st.error(str(error))
            else:
                state.data_changed()
                st.session_state["import_message"] = t(lang, "undone", batch=batch)
                st.rerun()


if access.may("import"):
    upload()
st.subheader(t(lang, "history"), anchor=False)
history = list_batches(engine)
if len(history):
    widgets.table(tables.batches(history, lang, names=access.may("see_names")))
    if access.may("undo"):
        undo(history)
if access.may("see_audit"):
    with st.expander(t(lang, "audit_log")):
        widgets.table(tables.audit(entries(engine), lang))
if access.may("clear_demo") and has_demo_data(engine) and st.button(t(lang, "clear_demo")):
    clear_demo(engine, access.who)
    state.data_changed()
    st.session_state["import_message"] = t(lang, "demo_cleared")
    st.rerun()
