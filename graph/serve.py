"""`dealgraph serve`: the store as a SPARQL 1.1 Protocol endpoint, so researchers can point
SPARQLWrapper, rdflib, YASGUI or a notebook at the graph without knowing how it is stored.

Read-only by default; updates need ``--allow-update`` *and* a bearer token (from a file or the
environment, never the command line, which every user of the machine can read in ``ps``).
Query text is checked before parsing (:mod:`graph.guard`: size, nesting, SERVICE, FROM) and
evaluated in worker processes killed at the time and memory limits (:mod:`graph.sandbox`), so
one hostile query can neither crash nor starve the endpoint. Web pages the user visits cannot
use it: no CORS unless origins are configured, and a Host check against DNS rebinding.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
import click
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from graph.guard import QueryLimits, QueryRefused, check_update
from graph.sandbox import Answer, NotAcceptable, QueryKilled, QueryTimeout, SandboxPool, run_user_query
from graph.serialize import RDF_FORMATS, RESULT_FORMATS
from graph.store import QueryError, Store, StoreError, default_location, open_store

RESULT_MEDIA = list(RESULT_FORMATS.values())  # the first one is the default
GRAPH_MEDIA = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
MEDIA_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "application/turtle": "text/turtle",
}
FORMAT_PARAM = {
    **RESULT_FORMATS,
    **RDF_FORMATS,
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
MAX_RUNNING_UPDATES = 4
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}


T = TypeVar("T")


class HttpError(Exception):
    """An error answer: status code plus one line for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_rows: int
    max_body_bytes: int


def create_app(
    store: Store,
    *,
    allow_update: bool = False,
    token: str | None = None,
    timeout_s: float = 30.0,
    max_rows: int = 100_000,
    max_body_bytes: int = 1_000_000,
    cors_origins: tuple[str, ...] = (),
    allowed_hosts: tuple[str, ...] = (),
    query_limits: QueryLimits | None = None,
    pool: SandboxPool | None = None,
) -> Starlette:
    """The ASGI app: ``/sparql`` (SPARQL 1.1 Protocol + service description) and ``/health``.

    ``cors_origins``: web origins allowed to read answers (none by default); ``allowed_hosts``:
    host names accepted in the Host header besides localhost and the loopback addresses."""
    if allow_update and not token:
        raise ValueError("allow_update needs a token: updates are only accepted with a bearer token")
    limits = Limits(timeout_s, max_rows, max_body_bytes)
    running = threading.BoundedSemaphore(MAX_RUNNING_UPDATES)
    hosts = {h.lower().strip("[]") for h in (*LOCAL_HOSTS, *allowed_hosts)}

    async def sparql(request: Request) -> Response:
        try:
            check_host(request, hosts)
            params = await _protocol_params(request, limits.max_body_bytes)
            if "update" in params:
                return await _run_update(request, params["update"])
            if "query" not in params:
                return _service_description(request, allow_update)
            media, body = await _run_query(params["query"], request.headers.get("accept", ""), params.get("format"))
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        except HttpError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status)

    async def _run_update(request: Request, text: str) -> Response:
        if not allow_update:
            raise HttpError(403, "updates are disabled on this endpoint (start it with --allow-update --token-file ...)")
        presented = request.headers.get("authorization", "")
        if not hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
            raise HttpError(403, "updates need the header 'Authorization: Bearer <token>' with the server's token")
        try:
            check_update(text, query_limits)
        except QueryRefused as exc:
            raise HttpError(400, str(exc)) from exc
        run = getattr(store, "update", None)
        if run is None:
            raise HttpError(501, f"the {type(store).__name__} backend does not run SPARQL updates")
        await _in_worker(lambda deadline: run(text), "update")
        return Response(status_code=204)

    async def _run_query(text: str, accept: str, format_name: str | None) -> tuple[str, bytes]:
        """Negotiate both possible kinds of answer up front (the kind is known only after
        parsing, in the worker), then evaluate in a worker process under the limits."""
        results_media = _acceptable(accept, format_name, RESULT_MEDIA)
        graph_media = _acceptable(accept, format_name, GRAPH_MEDIA)
        if results_media is None and graph_media is None:
            raise HttpError(406, f"cannot answer in {accept!r}; queries can give: {', '.join(RESULT_MEDIA + GRAPH_MEDIA)}")

        def work() -> Answer:
            return run_user_query(
                store, text, results_media=results_media, graph_media=graph_media,
                max_rows=limits.max_rows, timeout_s=limits.timeout_s, query_limits=query_limits, pool=pool,
            )

        try:
            with anyio.fail_after(limits.timeout_s + 5):
                answer = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except NotAcceptable as exc:
            offered = GRAPH_MEDIA if exc.kind == "triples" else RESULT_MEDIA
            raise HttpError(406, f"cannot answer in {accept!r}; this query can give: {', '.join(offered)}") from exc
        except (QueryTimeout, TimeoutError) as exc:
            raise HttpError(503, f"query timed out after {limits.timeout_s:g} s; narrow it or add LIMIT") from exc
        except QueryKilled as exc:
            raise HttpError(503, _one_line(exc)) from exc
        except QueryError as exc:
            raise HttpError(400, _one_line(exc)) from exc
        except StoreError as exc:
            raise HttpError(503, f"store unavailable: {_one_line(exc)}") from exc
        if answer.truncated:
            unit = "triples" if answer.kind == "triples" else "rows"
            raise HttpError(400, f"the query gives more than {limits.max_rows} {unit} (server limit); add LIMIT or narrow it")
        return answer.media_type, answer.body

    async def _in_worker(work: Callable[[float], T], what: str) -> T:
        """Run a blocking update in a thread under the deadline; at most MAX_RUNNING_UPDATES
        run at once."""
        deadline = time.monotonic() + limits.timeout_s

        def guarded() -> T:
            if not running.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise _Timeout
            try:
                return work(deadline)
            finally:
                running.release()

        try:
            with anyio.fail_after(limits.timeout_s):
                return await anyio.to_thread.run_sync(guarded, abandon_on_cancel=True)
        except (TimeoutError, _Timeout) as exc:
            advice = "narrow it or add LIMIT" if what == "query" else "it may still complete"
            raise HttpError(503, f"{what} timed out after {limits.timeout_s:g} s; {advice}") from exc
        except QueryError as exc:
            raise HttpError(400, _one_line(exc)) from exc
        except StoreError as exc:
            raise HttpError(503, f"store unavailable: {_one_line(exc)}") from exc

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    middleware = []
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Authorization", "Content-Type"],
            )
        )
    return Starlette(
        routes=[Route("/sparql", sparql, methods=["GET", "POST"]), Route("/health", health), *docs_routes()],
        middleware=middleware,
    )


def check_host(request: Request, hosts: set[str]) -> None:
    """Refuse a Host header naming another machine: a web page whose name was re-pointed at
    127.0.0.1 (DNS rebinding) reaches the endpoint with its own name in Host."""
    host = request.headers.get("host", "").strip().lower()
    name = host[1:].partition("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name not in hosts:
        raise HttpError(421, f"this endpoint does not serve the host {host!r}; start it with --allowed-host to add a name")


class _Timeout(Exception):
    """The deadline passed inside the worker thread."""


async def _protocol_params(request: Request, max_body_bytes: int) -> dict[str, str]:
    """The protocol's parameters from the URL and the body, whichever way the client sent them.

    Only ``query``, ``update`` and ``format`` are used; dataset parameters are refused rather
    than silently ignored, since the default graph here is always the set union of all graphs."""
    if len(request.url.query) > max_body_bytes:
        raise HttpError(413, f"request larger than {max_body_bytes} bytes")
    params = {k: v for k, v in parse_qs(request.url.query, keep_blank_values=True).items()}
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            body = (await _read_body(request, max_body_bytes)).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HttpError(400, "the request body is not UTF-8") from exc
        if media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            params.setdefault("query", []).append(body)
        elif media == "application/sparql-update":
            params.setdefault("update", []).append(body)
        else:
            raise HttpError(
                415,
                "POST a form (application/x-www-form-urlencoded), application/sparql-query "
                "or application/sparql-update",
            )
    elif "update" in params:
        raise HttpError(405, "updates must be sent with POST")
    if used := [name for name in DATASET_PARAMS if name in params]:
        raise HttpError(
            400,
            f"{used[0]} is not supported: the default graph holds every fact of the article graphs once; "
            "use GRAPH or FROM in the query",
        )
    if "query" in params and "update" in params:
        raise HttpError(400, "send either query or update, not both")
    for name in ("query", "update"):
        if len(params.get(name, [])) > 1:
            raise HttpError(400, f"more than one {name} parameter")
    return {key: values[0] for key, values in params.items()}


async def _read_body(request: Request, max_body_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body_bytes:
        raise HttpError(413, f"request body larger than {max_body_bytes} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body_bytes:
            raise HttpError(413, f"request body larger than {max_body_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _acceptable(accept: str, format_name: str | None, offered: list[str]) -> str | None:
    try:
        return _negotiate(accept, format_name, offered)
    except HttpError:
        return None


def _negotiate(accept: str, format_name: str | None, offered: list[str]) -> str:
    """Pick the media type: an explicit ``format`` parameter, else the Accept header with its
    q-values (wildcards allowed), else the first offered type."""
    if format_name and FORMAT_PARAM.get(format_name.lower()) in offered:
        return FORMAT_PARAM[format_name.lower()]
    if not accept.strip():
        return offered[0]
    best, best_q = None, 0.0
    for position, item in enumerate(accept.split(",")):
        media, _, rest = item.strip().partition(";")
        media = MEDIA_ALIASES.get(media.strip().lower(), media.strip().lower())
        q = _quality(rest)
        for candidate in offered:
            if _matches(media, candidate) and (q > best_q):
                best, best_q = candidate, q
                break
    if best is None:
        raise HttpError(406, f"cannot answer in {accept!r}; this query can give: {', '.join(offered)}")
    return best


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        key, _, value = parameter.strip().partition("=")
        if key.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _matches(pattern: str, media: str) -> bool:
    if pattern in ("*/*", media):
        return True
    return pattern.endswith("/*") and media.startswith(pattern[:-1])


def _service_description(request: Request, allow_update: bool) -> Response:
    """A SPARQL 1.1 Service Description, so generic clients can discover what we offer."""
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(endpoint, a, sd("Service")),
        ox.Triple(endpoint, sd("endpoint"), endpoint),
        ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(endpoint, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(endpoint, sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, a, sd("Graph")),
    ]
    if allow_update:
        triples.append(ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [
        ox.Triple(endpoint, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)) for name in FORMAT_IRIS.values()
    ]
    try:
        media = _negotiate(request.headers.get("accept", ""), None, GRAPH_MEDIA)
    except HttpError:
        media = GRAPH_MEDIA[0]
    body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes={"sd": SD, "formats": FORMATS_NS})
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def docs_routes() -> list[Route]:
    """The data model's page at ``/`` (graph/docs.py, rendered once) and the published JSON-LD
    context at ``/context.jsonld``."""
    from graph.docs import html_page
    from graph.export import CONTEXT_FILE

    page = html_page()
    context = CONTEXT_FILE.read_bytes()

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    async def jsonld_context(request: Request) -> Response:
        return Response(context, media_type="application/ld+json")

    return [Route("/", index), Route("/context.jsonld", jsonld_context)]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@click.command()
@click.option(
    "--store",
    "location",
    default=None,
    help="Store folder, ':memory:' or a SPARQL query URL [default: $DEALGRAPH_STORE or the user data folder].",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates (needs a token).")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File holding the bearer token for updates [or env DEALGRAPH_TOKEN].")
@click.option("--timeout", "timeout_s", default=None, type=float,
              help="Seconds per query before its worker is killed [env DEALGRAPH_QUERY_TIMEOUT_S, 30].")
@click.option("--max-rows", default=100_000, show_default=True, type=int, help="Most rows/triples one answer may hold.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="A web origin (https://yasgui.example) allowed to read answers; repeatable. None by default.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name accepted in the Host header besides localhost/127.0.0.1/[::1]; repeatable.")
def serve(
    location: str | None,
    host: str,
    port: int,
    allow_update: bool,
    token_file: Path | None,
    timeout_s: float | None,
    max_rows: int,
    cors_origins: tuple[str, ...],
    allowed_hosts: tuple[str, ...],
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql."""
    import uvicorn

    from graph.sandbox import RunLimits

    token = read_token(token_file)
    if allow_update and not token:
        raise click.UsageError("--allow-update needs a token: --token-file FILE or the DEALGRAPH_TOKEN variable")
    location = location or default_location()
    is_folder = location != ":memory:" and not location.startswith(("http://", "https://"))
    if is_folder and not allow_update and not Path(location).exists():
        raise click.ClickException(f"no store at {location}; ingest articles first or pass --store")
    try:
        store = open_store(location, read_only=is_folder and not allow_update)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if host not in LOCAL_HOSTS:
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can query the graph", err=True)
        allowed_hosts = (*allowed_hosts, host)
    from graph.sandbox import shared_pool

    shared_pool().prestart()
    app = create_app(
        store, allow_update=allow_update, token=token, max_rows=max_rows,
        timeout_s=RunLimits.from_env().timeout_s if timeout_s is None else timeout_s,
        cors_origins=cors_origins, allowed_hosts=allowed_hosts,
    )
    click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  (store: {location})", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        store.close()


def read_token(token_file: Path | None) -> str | None:
    """The update token: the first line of ``token_file``, else $DEALGRAPH_TOKEN."""
    if token_file is not None:
        try:
            text = token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"cannot read the token file {token_file}: {exc}") from exc
        return text.splitlines()[0].strip() if text else None
    return os.environ.get("DEALGRAPH_TOKEN") or None
