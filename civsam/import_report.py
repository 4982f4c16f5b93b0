"""What an import reports: its counts and each rejected row (civsam.importing fills it in).

Outside civsam.importing, so that the pages and tables that show a report need not load the import."""

from dataclasses import asdict, dataclass, field


@dataclass
class Rejection:
    sheet: str
    row: int
    column: str
    value: str
    message: str


@dataclass
class AddedOrganisation:
    """An organisation the import added because a row named it as an agreement's partner."""
    name: str
    sector: str  # its key, civsam.reference.SECTORS
    sheet: str
    row: int


@dataclass
class ImportReport:
    file_name: str
    batch_id: int | None = None
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    cleaned_cells: int = 0  # cells whose control characters were taken out (civsam.typed_text)
    added_organisations: list[AddedOrganisation] = field(default_factory=list)  # partners new to the register
    unknown_questions: list[str] = field(default_factory=list)  # a survey's questions civsam does not know
    personal_data_left_out: list[str] = field(default_factory=list)  # a survey's name and e-mail headers, not stored
    error: str | None = None
    dry_run: bool = False
    strict: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(r.sheet, r.row) for r in self.rejected})

    @property
    def exit_code(self) -> int:
        """0 all rows taken, 1 some rejected, 2 the file could not be read."""
        return 2 if self.error else 1 if self.rejected else 0

    def added_by_sheet(self) -> dict[str, list[AddedOrganisation]]:
        """The organisations the import added, by the sheet whose rows named them."""
        by_sheet: dict[str, list[AddedOrganisation]] = {}
        for added in self.added_organisations:
            by_sheet.setdefault(added.sheet, []).append(added)
        return by_sheet

    @property
    def stored(self) -> bool:
        return self.batch_id is not None

    def to_json(self) -> dict:
        keys = ("batch_id", "rows_read", "imported", "updated", "duplicates", "ignored_columns")
        result = {key: getattr(self, key) for key in keys}
        result["rejected"] = [asdict(r) for r in self.rejected]
        # these only when there are some, like the error: the keys of a plain file's report stay as they were
        if self.cleaned_cells:
            result["cleaned_cells"] = self.cleaned_cells
        if self.added_organisations:
            result["added_organisations"] = [asdict(added) for added in self.added_organisations]
        for key in ("unknown_questions", "personal_data_left_out"):  # only a survey's report has them
            if getattr(self, key):
                result[key] = getattr(self, key)
        if self.error:
            result["error"] = self.error
        return result
