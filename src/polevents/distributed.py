"""The same ingest on a Dask cluster: an executor that runs `code_batch` on Dask workers.

    executor = DaskExecutor("local:2")            # or "tcp://scheduler:8786", a scheduler file, a Client
    summary = ingest(items, sink, executor)       # polevents.store.ingest.ingest, unchanged

Nothing else differs from the single-process ingest: the client reads the sources, drops texts the
database (or Parquet folder) already holds, cuts batches and writes what comes back in order;
only the coding of a batch happens on a worker. Each worker loads the spaCy model and the Coder
once, in a worker plugin (`CoderPlugin`), and keeps it for every task it runs; extra actor and
pattern files travel inside the plugin, so workers need polevents installed but not the files.
"""

from __future__ import annotations

import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from polevents.documents import Document
from polevents.limits import ERROR
from polevents.store.coding import FAILED, Coded, code_batch, default_workers, warm_up

PLUGIN_NAME = "polevents-coder"
MALLOC_TRIM_KEY = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"

# per worker process: options key -> Coder, and how many times a Coder was built (tests read it)
_CODERS: dict[str, Any] = {}
_LOADS: dict[str, int] = {}
_LOCK = threading.Lock()  # one Coder per process: tasks on a multi-threaded worker take turns


class ClusterError(Exception):
    """A --cluster value that names no cluster, or a cluster that cannot be reached."""


def _options_key(options: dict[str, Any], files: dict[str, bytes]) -> str:
    import hashlib

    digest = hashlib.sha256(repr(sorted(options.items())).encode())
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()[:16]


def _build_coder(key: str, options: dict[str, Any], files: dict[str, bytes]) -> Any:
    """The worker's Coder for these options, built on first use and kept for the process's life."""
    with _LOCK:
        coder = _CODERS.get(key)
        if coder is not None:
            return coder
        from polevents.coder import Coder

        folder = Path(tempfile.mkdtemp(prefix="polevents-coder-"))
        paths: dict[str, list[str]] = {"actors": [], "patterns": []}
        for index, (label, data) in enumerate(sorted(files.items())):
            kind, name = label.split("/", 1)
            path = folder / f"{index:03d}-{Path(name).name}"
            path.write_bytes(data)
            paths[kind].append(str(path))
        coder = Coder(actors=paths["actors"], patterns=paths["patterns"], **options)
        warm_up(coder)
        _CODERS[key] = coder
        _LOADS[key] = _LOADS.get(key, 0) + 1
        return coder


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover - dask is a dependency; this keeps the module importable without it
    _WorkerPluginBase = object  # type: ignore[assignment,misc]


class CoderPlugin(_WorkerPluginBase):  # type: ignore[misc,valid-type]
    """Loads the Coder when a worker starts (or joins later), so no task pays for it."""

    name = PLUGIN_NAME

    def __init__(self, options: dict[str, Any] | None = None, files: dict[str, bytes] | None = None):
        self.options = dict(options or {})
        self.files = dict(files or {})
        self.key = _options_key(self.options, self.files)

    def setup(self, worker: Any) -> None:
        _build_coder(self.key, self.options, self.files)


def _code_on_worker(batch: list[Document], nlp_batch_size: int, key: str) -> list[Coded]:
    coder = _CODERS.get(key)
    if coder is None:  # the plugin builds it when the worker starts; this is for a worker that lost it
        from distributed import get_worker

        plugin = get_worker().plugins[PLUGIN_NAME]
        coder = _build_coder(key, plugin.options, plugin.files)
    with _LOCK:
        return code_batch(coder, batch, nlp_batch_size=nlp_batch_size)


def _malloc_trim() -> str | None:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def worker_loads() -> dict[str, int]:
    """How many Coders this process built (1 per options on a worker, whatever the number of tasks)."""
    return dict(_LOADS)


def parse_cluster(value: str) -> tuple[str, Any]:
    """("local", workers) | ("address", "tcp://...") | ("scheduler_file", path) from a --cluster value."""
    text = value.strip()
    if text == "local" or text.startswith("local:"):
        count = text.partition(":")[2]
        if not count:
            return "local", default_workers()
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {value!r}: after 'local:' give a number of workers, e.g. local:4")
        return "local", int(count)
    if "://" in text:
        return "address", text
    if text.endswith(".json"):
        if not Path(text).exists():
            raise ClusterError(f"--cluster {value!r}: no such scheduler file")
        return "scheduler_file", text
    if ":" in text and text.rsplit(":", 1)[1].isdigit():
        return "address", f"tcp://{text}"
    raise ClusterError(f"--cluster {value!r} is not a cluster: use local, local:N, tcp://HOST:PORT or a "
                       "scheduler file (scheduler.json)")


class DaskExecutor:
    """Codes batches on a Dask cluster and gives the outcomes back in the order of the batches.

    `cluster` is a `distributed.Client`, or a --cluster value: "local[:N]" starts a LocalCluster of N
    single-threaded worker processes on this machine (N = its cores by default), "tcp://HOST:PORT" or
    a scheduler file joins a running scheduler. Nothing is started before the first batch, so a rerun
    with nothing new never touches the cluster. At most `in_flight` batches (2 per worker thread by
    default) are out at a time, so a long input never piles up in the scheduler's memory.
    """

    def __init__(self, cluster: Any, *, coder_options: dict[str, Any] | None = None,
                 coder_files: dict[str, bytes] | None = None, nlp_batch_size: int = 32,
                 in_flight: int | None = None, connect_timeout: float = 60.0):
        self.cluster_spec = cluster
        self.plugin = CoderPlugin(coder_options, coder_files)
        self.nlp_batch_size = nlp_batch_size
        self.in_flight = in_flight
        self.connect_timeout = connect_timeout
        self.client: Any = None
        self.local_cluster: Any = None
        self.trimmed_workers: list[str] = []  # workers started with MALLOC_TRIM_THRESHOLD_ (slower, see docs)
        self._own_client = False

    @staticmethod
    def files_for(actor_files: Iterable[str | Path] = (), pattern_files: Iterable[str | Path] = ()) -> dict[str, bytes]:
        """Extra actor and pattern files as bytes, to travel to the workers with the plugin."""
        files = {}
        for kind, paths in (("actors", actor_files), ("patterns", pattern_files)):
            for index, path in enumerate(paths):
                files[f"{kind}/{index:03d}-{Path(path).name}"] = Path(path).read_bytes()
        return files

    def start(self) -> Any:
        """Connect (or start the local cluster) and load the Coder on every worker; returns the Client."""
        if self.client is not None:
            return self.client
        from distributed import Client, LocalCluster

        spec = self.cluster_spec
        if not isinstance(spec, str):
            self.client = spec
        else:
            kind, value = parse_cluster(spec)
            if kind == "local":
                import dask

                # one thread per worker: the parser holds the GIL, threads would only take turns.
                # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which turns off glibc's adaptive
                # mmap threshold: every large array the parser makes is then mmap'ed and unmapped again,
                # and coding takes 15% more CPU (measured). polevents' workers keep glibc's default.
                with dask.config.set({MALLOC_TRIM_KEY: None}):
                    self.local_cluster = LocalCluster(n_workers=value, threads_per_worker=1, processes=True,
                                                      dashboard_address=":0", silence_logs=40)
                self.client = Client(self.local_cluster)
            else:
                try:
                    if kind == "scheduler_file":
                        self.client = Client(scheduler_file=value, timeout=self.connect_timeout)
                    else:
                        self.client = Client(value, timeout=self.connect_timeout)
                except (OSError, TimeoutError) as error:
                    raise ClusterError(f"cannot reach the Dask scheduler at {value}: {error}") from None
            self._own_client = True
        self.client.register_plugin(self.plugin, name=PLUGIN_NAME)
        self.client.wait_for_workers(1, timeout=None if self.local_cluster is not None else self.connect_timeout * 10)
        self.trimmed_workers = sorted(address for address, value in self.client.run(_malloc_trim).items() if value)
        return self.client

    def threads(self) -> int:
        """Worker threads in the cluster now (it may grow or shrink: dask-jobqueue and Kubernetes adapt)."""
        return max(1, sum(self.client.nthreads().values())) if self.client is not None else 1

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Coded]]:
        window: deque = deque()
        for batch in batches:
            if self.client is None:
                self.start()
            window.append((self._submit(batch), batch))
            limit = self.in_flight or 2 * self.threads()
            while len(window) > limit:
                yield self._outcomes(*window.popleft())
        while window:
            yield self._outcomes(*window.popleft())

    def _submit(self, batch: list[Document]) -> Any:
        return self.client.submit(_code_on_worker, batch, self.nlp_batch_size, self.plugin.key, pure=False)

    def _outcomes(self, future: Any, batch: list[Document]) -> list[Coded]:
        """The batch's outcomes; when coding it killed workers (a document that crashes the parser or
        eats the memory), its documents are coded one by one and the ones that kill again fail alone."""
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker:
            if len(batch) == 1:
                return [Coded(batch[0], FAILED, reason=ERROR,
                              message="KilledWorker: the Dask worker died coding this document "
                                      "(out of memory, or a crash in the parser)")]
            # one at a time: a document that kills a worker takes no innocent neighbour down with it
            return [outcome for document in batch for outcome in self._outcomes(self._submit([document]), [document])]

    def close(self) -> None:
        if self.client is not None and self._own_client:
            self.client.close()
        if self.local_cluster is not None:
            self.local_cluster.close()
        self.client = None
        self.local_cluster = None


def describe(executor: DaskExecutor) -> str:
    """One line about the cluster for the command's messages."""
    if executor.client is None:
        return "no cluster started (nothing to code)"
    threads = executor.client.nthreads()
    return (f"Dask cluster at {executor.client.scheduler.address}: {len(threads)} worker(s), "
            f"{sum(threads.values())} thread(s)")

