"""`dealgraph review …`: record, list, undo and export an analyst's judgements (graph/judgements.py).

Each command writes one judgement graph, then refreshes the reviewed view graph
(graph/reviewed.py) so plain SPARQL over that graph sees the corrected facts.
"""

from __future__ import annotations

import json
import os

import click

from graph import deals, judgements, reviewed
from graph.cli import friendly, open_from, store_option, write_output
from graph.namespaces import DG, RDF

WHO_ENV = "DEALGRAPH_REVIEWER"
who_option = click.option("--who", default=lambda: os.environ.get(WHO_ENV, ""), metavar="NAME",
                          help=f"Your name, stamped on the judgement [env {WHO_ENV}].")
why_option = click.option("--why", default="", help="Why: a short reason kept with the judgement.")


def _predicate(text: str) -> str:
    """'party' -> the ontology IRI; 'type' -> rdf:type; full IRIs pass through."""
    if text.startswith(("http://", "https://")):
        return text
    return RDF + "type" if text in ("a", "type") else DG + text


def _write(store_location: str | None, action: str, subject: str, **kwargs) -> None:
    with open_from(store_location) as store:
        j = judgements.record(store, action, subject, **kwargs)
        reviewed.refresh(store)
    click.echo(j.iri)


@click.group(help="Review extracted facts: confirm, reject, correct, merge, keep apart, undo; every judgement "
                  "is stored with who, when and why, and applied by every view, export and the reviewed graph.")
def review() -> None:
    pass


@review.command(help="Confirm a fact: SUBJECT PREDICATE OBJECT (predicate as 'party', 'type' or an IRI).")
@click.argument("subject")
@click.argument("predicate")
@click.argument("obj", metavar="OBJECT")
@who_option
@why_option
@store_option
@friendly
def confirm(subject: str, predicate: str, obj: str, who: str, why: str, store_location: str | None) -> None:
    _write(store_location, "confirm", subject, predicate=_predicate(predicate), obj=obj, who=who, why=why)


@review.command(help="Reject a fact: SUBJECT PREDICATE OBJECT. Rejecting 'type' drops the node from every view.")
@click.argument("subject")
@click.argument("predicate")
@click.argument("obj", metavar="OBJECT")
@who_option
@why_option
@store_option
@friendly
def reject(subject: str, predicate: str, obj: str, who: str, why: str, store_location: str | None) -> None:
    _write(store_location, "reject", subject, predicate=_predicate(predicate), obj=obj, who=who, why=why)


@review.command(help=f"Correct a field of a deal or entity: SUBJECT FIELD VALUE; fields: {', '.join(judgements.FIELDS)}.")
@click.argument("subject")
@click.argument("field", type=click.Choice(list(judgements.FIELDS)))
@click.argument("value")
@click.option("--replaces", default=None, help="The value (or, for party/region, the entity IRI) it replaces.")
@who_option
@why_option
@store_option
@friendly
def correct(subject: str, field: str, value: str, replaces: str | None, who: str, why: str, store_location: str | None) -> None:
    if replaces is None and field != "party":
        with open_from(store_location, read_only=True) as store:
            replaces = deals.current_value(deals.load(store, judgements.load(store)), subject, field)
    _write(store_location, "correct", subject, predicate=field, value=value, replaces=replaces, who=who, why=why)


@review.command(help="Two entities are one: KEEP absorbs OTHER in every view (undo to split them again).")
@click.argument("keep")
@click.argument("other")
@who_option
@why_option
@store_option
@friendly
def merge(keep: str, other: str, who: str, why: str, store_location: str | None) -> None:
    _write(store_location, "merge", keep, obj=other, who=who, why=why)


@review.command("keep-apart", help="Two entities are different (a merge to avoid).")
@click.argument("first")
@click.argument("second")
@who_option
@why_option
@store_option
@friendly
def keep_apart(first: str, second: str, who: str, why: str, store_location: str | None) -> None:
    _write(store_location, "keep_apart", first, obj=second, who=who, why=why)


@review.command("not-entity", help="ENTITY is extraction noise: left out of every view, deal and total.")
@click.argument("entity")
@who_option
@why_option
@store_option
@friendly
def not_entity(entity: str, who: str, why: str, store_location: str | None) -> None:
    _write(store_location, "not_entity", entity, who=who, why=why)


@review.command("list", help="Every judgement, oldest first (undone ones marked).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_option
@friendly
def list_(as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        found = judgements.load(store).judgements
    if as_json:
        click.echo(json.dumps([
            {**{k: getattr(j, k) for k in ("iri", "action", "subject", "predicate", "object", "value", "replaces", "who", "why")},
             "when": j.when.isoformat() if j.when else None, "undone": j.undone.isoformat() if j.undone else None}
            for j in found
        ], ensure_ascii=False, indent=2))
        return
    for j in found:
        click.echo(("UNDONE " if j.undone else "") + j.describe() + f"  <{j.iri}>")


@review.command(help="Undo a judgement (it stays in the store as history).")
@click.argument("judgement")
@who_option
@store_option
@friendly
def undo(judgement: str, who: str, store_location: str | None) -> None:
    with open_from(store_location) as store:
        judgements.undo(store, judgement, who)
        reviewed.refresh(store)
    click.echo(f"undone: {judgement}")


@review.command(help="Rebuild the reviewed view graph (after an ingest done without the CLI).")
@store_option
@friendly
def refresh(store_location: str | None) -> None:
    with open_from(store_location) as store:
        count = reviewed.refresh(store)
    click.echo(f"{reviewed.GRAPH}: {count} triples")


@review.command(help="The articles judgements touch, as gold records (../shared/eval/FORMAT.md), one JSON per line.")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@store_option
@friendly
def gold(output: str, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        records = reviewed.gold(store)
    write_output("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), output)
