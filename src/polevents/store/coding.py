"""The unit of work of an ingest: a batch of documents in, each document's outcome out.

`code_batch(coder, documents)` is the one function every executor runs: in this
process (`LocalExecutor`), in worker processes (`ProcessExecutor`, or `AutoExecutor`,
which picks one of the two from the size of the input), or on a Dask cluster
(`polevents.distributed.DaskExecutor`). It checks the language, codes the English documents and turns a
crash on one document into a "failed" outcome for that document alone. Outcomes
are plain, picklable data (the event records as dicts), so they can come back
from anywhere.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from polevents.documents import Document
from polevents.language import LANGUAGE, detect_language
from polevents.limits import failure_of, guarded

CODED, SKIPPED, FAILED = "coded", "skipped", "failed"


@dataclass(slots=True)
class Coded:
    """What became of one document: its events, or why it has none."""

    document: Document
    status: str  # coded, skipped or failed
    events: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    message: str | None = None
    language: str | None = None


def _failure(document: Document, error: BaseException, language: str | None) -> Coded:
    """A failed outcome with the reason the exception stands for (timeout, too_large, error)."""
    failure = failure_of(error)
    return Coded(document, FAILED, reason=failure.reason, language=language, message=failure.message)


def code_batch(coder: Any, documents: Sequence[Document], *, nlp_batch_size: int = 32) -> list[Coded]:
    """Outcomes for `documents`, in the same order. Never raises for a bad document; one that takes
    longer than the time limit to code is given up ("failed", reason "timeout") and the batch goes on."""
    coder = guarded(coder)
    outcomes: list[Coded | None] = [None] * len(documents)
    english: list[tuple[int, Document, str]] = []
    for index, document in enumerate(documents):
        guess = detect_language(document.text)
        if not guess.english:
            outcomes[index] = Coded(document, SKIPPED, reason=LANGUAGE, language=guess.code,
                                    message=f"the text looks like {guess.code!r} (p={guess.probability:.2f}), "
                                            "not English; polevents codes English")
        else:
            english.append((index, document, guess.code))
    if english:
        try:
            pairs = list(coder.code_documents([d for _, d, _ in english], batch_size=nlp_batch_size))
            for (index, document, language), (_, events) in zip(english, pairs, strict=True):
                outcomes[index] = Coded(document, CODED, [e.to_dict() for e in events], language=language)
        except Exception:  # noqa: BLE001 - find which document broke, code the others
            for index, document, language in english:
                try:
                    events = coder.code(document)
                    outcomes[index] = Coded(document, CODED, [e.to_dict() for e in events], language=language)
                except Exception as error:  # noqa: BLE001 - one bad document must not stop an ingest
                    outcomes[index] = _failure(document, error, language)
    return [o for o in outcomes if o is not None]


class Executor(Protocol):
    """Runs `code_batch` on batches of documents and gives the outcomes back in the order of the batches."""

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Coded]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """Codes in this process with one Coder (given, or made by `factory` when the first batch comes:
    a rerun with nothing new then never loads the model)."""

    def __init__(self, coder: Any = None, *, factory: Callable[[], Any] | None = None, nlp_batch_size: int = 32):
        if coder is None and factory is None:
            raise ValueError("LocalExecutor needs a coder or a factory")
        self.coder = coder
        self.factory = factory
        self.nlp_batch_size = nlp_batch_size

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Coded]]:
        for batch in batches:
            if self.coder is None:
                self.coder = self.factory()
            yield code_batch(self.coder, batch, nlp_batch_size=self.nlp_batch_size)

    def close(self) -> None:
        pass


_WORKER_CODER: Any = None
_WARM_UP_TEXT = ("Published: June 6, 2012\n\nRussia criticized China on Tuesday over trade in Beijing, "
                 "officials said.\n")


def warm_up(coder: Any) -> None:
    """Code one small story so that what loads on first use (the language model, dateparser's data,
    the gazetteer's indexes: about 0.6 s) loads when a worker starts, not inside its first batch."""
    from polevents.documents import document_from_text

    code_batch(coder, [document_from_text(_WARM_UP_TEXT, "polevents-warm-up")])


_WORKER_ERROR: Exception | None = None


def _start_worker(options: dict[str, Any]) -> None:
    global _WORKER_CODER, _WORKER_ERROR
    from polevents.coder import Coder

    try:
        _WORKER_CODER = Coder(**options)
        warm_up(_WORKER_CODER)
    except Exception as error:  # noqa: BLE001 - a pool whose initializer raises restarts it forever
        _WORKER_ERROR = error


def _code_in_worker(batch: list[Document], nlp_batch_size: int) -> list[Coded]:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR  # the Coder could not be made (a bad --actors file): stop the ingest, say why
    return code_batch(_WORKER_CODER, batch, nlp_batch_size=nlp_batch_size)


class ProcessExecutor:
    """Codes in `workers` processes, each with its own Coder (loaded once per process).

    Batches are handed out from the calling thread (which also reads the sources and writes the
    database), at most `workers * 2` at a time, and come back in order.
    """

    def __init__(self, workers: int, *, coder_options: dict[str, Any] | None = None, nlp_batch_size: int = 32):
        self.workers = max(1, workers)
        self.nlp_batch_size = nlp_batch_size
        self.coder_options = coder_options or {}
        self.pool = None

    def _start(self):
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # no fork: the parent may have threads (fetching)
        self.pool = context.Pool(self.workers, initializer=_start_worker, initargs=(self.coder_options,))
        return self.pool

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Coded]]:
        window: deque = deque()
        for batch in batches:
            if self.pool is None:
                self._start()
            window.append(self.pool.apply_async(_code_in_worker, (batch, self.nlp_batch_size)))
            while len(window) > self.workers * 2:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def default_workers() -> int:
    """The cores this process may use (a Slurm or container CPU limit counts, not the machine's size)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Below this much text a pool of worker processes costs more than it saves: each worker needs about
# 1 s to start Python and 2 s to load the model, while one core codes about 40,000 characters a second.
SMALL_INPUT_CHARS = 200_000


class AutoExecutor:
    """All the cores for a big input, one process for a small one: tiny runs pay no process start-up.

    It reads ahead up to `small_chars` characters of documents (whole batches); when the input ends
    before that it codes them here with one Coder, else it starts a pool of `workers` processes and
    hands it everything, the batches read ahead first. `workers=1` is always in this process.
    """

    def __init__(self, workers: int, *, factory: Callable[[], Any], coder_options: dict[str, Any] | None = None,
                 nlp_batch_size: int = 32, small_chars: int = SMALL_INPUT_CHARS):
        self.workers = max(1, workers)
        self.factory = factory
        self.coder_options = coder_options or {}
        self.nlp_batch_size = nlp_batch_size
        self.small_chars = small_chars
        self.chosen: LocalExecutor | ProcessExecutor | None = None

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Coded]]:
        batches = iter(batches)
        ahead: list[list[Document]] = []
        size = 0
        if self.workers > 1:
            for batch in batches:
                ahead.append(batch)
                size += sum(len(d.text) for d in batch)
                if size >= self.small_chars:
                    break
        if self.workers > 1 and size >= self.small_chars:
            self.chosen = ProcessExecutor(self.workers, coder_options=self.coder_options,
                                          nlp_batch_size=self.nlp_batch_size)
        else:
            self.chosen = LocalExecutor(factory=self.factory, nlp_batch_size=self.nlp_batch_size)
        yield from self.chosen.map(_chain(ahead, batches))

    @property
    def processes(self) -> int:
        """How many processes coded (0 before the first batch)."""
        if isinstance(self.chosen, ProcessExecutor):
            return self.chosen.workers
        return 1 if self.chosen is not None else 0

    def close(self) -> None:
        if self.chosen is not None:
            self.chosen.close()


def _chain(first: list[list[Document]], rest: Iterator[list[Document]]) -> Iterator[list[Document]]:
    yield from first
    yield from rest
