"""``workbench copy``: every case and customer record from one database to another (a file
or a server, either way), whole, all or nothing, checked by counts and checksums."""

from __future__ import annotations

import argparse

from workbench import paths
from workbench.cli.context import AddCommand, Context, UsageError, open_server, open_store
from workbench.storage import CaseRepository, StoreError
from workbench.storage.customer_records import customers_digest
from workbench.storage.records import records_digest


def open_database(target: str, *, source: bool) -> CaseRepository:
    """A file's or a server's store, named as ``--db`` names one."""
    if not target.strip():
        raise UsageError("name a database file or a postgresql:// address")
    url = paths.database_url(target)
    if url is not None:
        return open_server(url)
    path = paths.resolve_db_path(target)
    if source and not path.is_file():
        raise UsageError(f"there is no database file at {path} to copy from")
    return open_store(path)


def cmd_copy(ctx: Context, args: argparse.Namespace) -> int:
    source = open_database(args.source, source=True)
    try:
        target = open_database(args.target, source=False)
    except BaseException:
        source.close()
        raise
    try:
        if source.location == target.location:
            raise UsageError("the source and the target are the same database")
        cases = source.all_cases()
        people = source.customers()
        issued = source.issued()
        digest = records_digest(cases)
        people_digest = customers_digest(people)
        target.load_all(cases, issued, replace=args.replace, customers=people)
        copied = target.all_cases()
        if (
            len(copied) != len(cases)
            or records_digest(copied) != digest
            or customers_digest(target.customers()) != people_digest
        ):
            raise StoreError(  # the load is one step: this would be a bug, and says so
                f"The copy in {target.location} does not match {source.location} "
                f"({len(copied):,} of {len(cases):,} cases, or their contents or their "
                "customers' records differ).",
                "Run workbench doctor on both; please report it.",
            )
        ctx.emit(
            {
                "from": source.location,
                "to": target.location,
                "cases": len(cases),
                "customers": len(people),
                "issued": issued,
                "sha256": digest,
            },
            f"Copied {len(cases):,} case(s) and {len(people):,} customer record(s) from "
            f"{source.location} to {target.location}.\n"
            f"Checked: the same {len(cases):,} cases, every field alike "
            f"(SHA-256 {digest[:16]}…); new cases there are numbered after "
            f"C-{max(issued, 1):04d}.",
        )
    finally:
        source.close()
        target.close()
    return 0


def register(command: AddCommand) -> None:
    """Adds ``copy``."""
    p = command(
        "copy",
        cmd_copy,
        "copy every case from one database to another (file or postgresql://…), all or none",
    )
    p.add_argument("--from", dest="source", required=True, metavar="FILE_OR_URL")
    p.add_argument("--to", dest="target", required=True, metavar="FILE_OR_URL")
    p.add_argument(
        "--replace",
        action="store_true",
        help="put the cases in place of those the target holds (else it must be empty)",
    )
