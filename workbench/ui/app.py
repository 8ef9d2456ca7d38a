"""The Textual application: builds the screen from the store it is handed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from workbench.domain.clock import Clock, local_now
from workbench.domain.dates import relative
from workbench.domain.playbooks import PlaybookLibrary
from workbench.paths import styles_dir
from workbench.storage import CaseStore


class WorkbenchApp(App[None]):
    """The case list for now; the checklist and calendar panes come next."""

    TITLE = "Workbench"
    CSS_PATH = str(styles_dir() / "workbench.tcss")
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(
        self, store: CaseStore, library: PlaybookLibrary, clock: Clock = local_now
    ) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="welcome")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
        cases = self.store.all_cases()
        now = self.clock()
        table = self.query_one("#cases", DataTable)
        table.add_columns("ID", "Customer", "Title", "Status", "Heat", "Next follow-up")
        for case in cases:
            nxt = case.next_followup
            table.add_row(
                case.id,
                Text(case.customer),  # user text: never read as markup
                Text(case.title),
                case.status.label,
                case.heat.label,
                relative(nxt.due, now) if nxt else "—",
                key=case.id,
            )
        welcome = self.query_one("#welcome", Static)
        if cases:
            welcome.display = False
        else:
            welcome.update(
                "No cases yet. Open one from the command line with\n"
                '  workbench add "what went wrong" --customer "Their Name"\n'
                "or try the workbench with sample data: workbench demo --cases 50"
            )
