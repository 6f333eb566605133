"""Bounds on what one document may cost: its size, its time, and a coder that keeps to them.

News on the open web is untrusted. A 50 MB page of junk, a "sentence" of 30,000
words or a run of 100,000 characters without a full stop must cost one document,
not the night's batch: the document is truncated or skipped (`too_large`) or
given up after a time limit (`timeout`), the reason is recorded, and the batch
goes on.

- `Limits`: the size and time bounds (defaults from `POLEVENTS_*` variables, so
  every command and worker honours them without new options).
- `call_with_time_limit`: run one step (reading a page, coding a document) and
  raise `DocumentTimeout` when it takes too long. It works in any thread (Dask
  workers run tasks in threads, where SIGALRM cannot reach): a watchdog timer
  raises the exception asynchronously in the thread that does the work. Like
  SIGALRM it is delivered between Python bytecodes, so a single C call that never
  returns (a pathological regular expression) is not interrupted; the coder's
  slow paths are Python loops and are.
- `GuardedCoder`: a `Coder` with the time limit on every document, usable
  wherever a Coder is (`code_batch`, `polevents code`), and `code_each`, which
  never raises: each document comes back coded or with a reason.
- `failure_of`: the stable reason and a message a person can act on for an
  exception raised while coding one document.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from polevents.documents import Document
    from polevents.record import Event

# Reasons (stable strings stored in the database), shared with polevents.documents.
TOO_LARGE, TIMEOUT, ERROR = "too_large", "timeout", "error"
TRUNCATE, SKIP = "truncate", "skip"

T = TypeVar("T")

# Set by `polevents --debug`: readers then let an unexpected exception through (with its traceback)
# instead of recording it as a skipped input.
debug = False


def set_debug(on: bool) -> None:
    global debug
    debug = bool(on)


class LimitsError(ValueError):
    """A limit set to a value that cannot work (the message says which and what to use)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one document may cost; what goes over them is truncated or skipped, and says so.

    max_bytes: raw bytes read per file, page, WARC record or JSONL line (the rest is not read).
    max_chars: characters of text coded per document. Coding time grows faster than the length of a
        text, and spaCy needs about 1 GB of memory per 100,000 characters it parses at once, so the
        default keeps a long feature (15,000 words) whole and cuts what is not an article.
    oversize: "truncate" (code the first max_chars characters; a note says so) or "skip" (reason
        `too_large`).
    seconds: time allowed to extract one page and to code one document; None or 0: no limit.
    """

    max_bytes: int = 50_000_000
    max_chars: int = 100_000
    oversize: str = TRUNCATE
    seconds: float | None = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise LimitsError(f"max_bytes must be a positive number of bytes, not {self.max_bytes!r}")
        if not isinstance(self.max_chars, int) or self.max_chars < 1:
            raise LimitsError(f"max_chars must be a positive number of characters, not {self.max_chars!r}")
        if self.oversize not in (TRUNCATE, SKIP):
            raise LimitsError(f"oversize must be {TRUNCATE!r} or {SKIP!r}, not {self.oversize!r}")
        if self.seconds is not None and (not isinstance(self.seconds, int | float) or self.seconds < 0):
            raise LimitsError(f"seconds must be a number of seconds (0 for no limit), not {self.seconds!r}")

    @property
    def time_limit(self) -> float | None:
        return float(self.seconds) if self.seconds else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, base: Limits | None = None) -> Limits:
        """Limits from POLEVENTS_MAX_BYTES, POLEVENTS_MAX_CHARS, POLEVENTS_OVERSIZE, POLEVENTS_TIME_LIMIT.

        Raises LimitsError naming the variable when a value cannot be used.
        """
        environ = os.environ if environ is None else environ
        limits = base or cls()
        for variable, name, parse in ENVIRONMENT:
            value = environ.get(variable)
            if value is None or not value.strip():
                continue
            try:
                limits = replace(limits, **{name: parse(value.strip())})
            except (ValueError, OverflowError):  # LimitsError is a ValueError
                raise LimitsError(f"{variable}={value!r} cannot be used: {ENV_HELP[variable]}") from None
        return limits


def _size(text: str) -> int:
    """A whole number of bytes or characters, with an optional k/M/G suffix (50M = 50,000,000)."""
    scale = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if scale != 1 else text
    value = int(float(number.replace("_", "")) * scale)
    if value < 1:
        raise ValueError(text)
    return value


def _seconds(text: str) -> float | None:
    value = float(text)
    if value < 0 or value != value:  # negative or NaN
        raise ValueError(text)
    return value or None


def _oversize(text: str) -> str:
    if text.lower() not in (TRUNCATE, SKIP):
        raise ValueError(text)
    return text.lower()


ENVIRONMENT: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("POLEVENTS_MAX_BYTES", "max_bytes", _size),
    ("POLEVENTS_MAX_CHARS", "max_chars", _size),
    ("POLEVENTS_OVERSIZE", "oversize", _oversize),
    ("POLEVENTS_TIME_LIMIT", "seconds", _seconds),
)
ENV_HELP = {
    "POLEVENTS_MAX_BYTES": "use a positive number of bytes, e.g. 50000000 or 50M",
    "POLEVENTS_MAX_CHARS": "use a positive number of characters, e.g. 100000 or 100k",
    "POLEVENTS_OVERSIZE": "use 'truncate' or 'skip'",
    "POLEVENTS_TIME_LIMIT": "use a number of seconds per document, e.g. 60 (0 for no limit)",
}


def limits_from_env() -> Limits:
    """The process's default limits; a bad variable is reported once on stderr and the default kept.

    (This runs at import time, before any command can print a tidy error, so it must not raise.)
    """
    try:
        return Limits.from_env()
    except LimitsError as error:
        print(f"polevents: {error}; using the default limits", file=sys.stderr)
        return Limits()


DEFAULT_LIMITS = limits_from_env()


# ----- the time limit ----------------------------------------------------------------------------------------
class DocumentTimeout(Exception):
    """A step on one document (extracting a page, coding a text) took longer than its time limit."""

    reason = TIMEOUT

    def __init__(self, seconds: float | None = None, what: str = "the document"):
        self.seconds = seconds
        shown = f"{seconds:g} s" if seconds else "its time limit"
        super().__init__(f"{what} took longer than {shown}")


class _Expired(BaseException):
    """Raised asynchronously in the worker thread by the watchdog.

    A BaseException, so that the `except Exception:` of a library (trafilatura, spaCy) in the middle
    of the slow step cannot swallow it; `call_with_time_limit` turns it into `DocumentTimeout`.
    """


# our own prototypes of PyThreadState_SetAsyncExc (the shared ctypes.pythonapi entry is left as it is):
# one to raise an exception class in a thread, one to clear it again (a NULL exception)
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
_clear_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    if exception is None:
        _clear_async_exc(thread_id, None)  # clears one that was set but not yet delivered
    else:
        _set_async_exc(thread_id, exception)


class _Watchdog:
    """The deadlines of the calls made in one thread, watched by one thread of its own.

    At a call's deadline it raises `_Expired` in the working thread, and again every `REPEAT` seconds until the
    call is over: an exception delivered while the thread runs a garbage-collector callback or a `__del__` is
    printed and dropped by Python, so one delivery is not enough. `disarm` ends the call's watch for good.
    The watching thread lives as long as calls keep coming (starting a thread per call cost about 90 us, a
    few per cent of an ingest), and ends after `IDLE` seconds without one.
    """

    REPEAT = 1.0
    IDLE = 30.0
    _of_thread = threading.local()

    def __init__(self) -> None:
        self.thread_id = threading.get_ident()
        self.cond = threading.Condition()
        self.deadline: float | None = None  # time.monotonic() of the armed call's deadline
        self.fired = False
        self.watching = False

    @classmethod
    def for_this_thread(cls) -> _Watchdog:
        watchdog = getattr(cls._of_thread, "watchdog", None)
        if watchdog is None:
            watchdog = cls._of_thread.watchdog = cls()
        return watchdog

    def _run(self) -> None:
        with self.cond:
            while True:
                if self.deadline is None:
                    if not self.cond.wait(self.IDLE) and self.deadline is None:
                        self.watching = False
                        return
                    continue
                wait = self.deadline - time.monotonic()
                if wait > 0:
                    self.cond.wait(wait)
                    continue
                self.fired = True
                _raise_in(self.thread_id, _Expired)
                self.deadline = time.monotonic() + self.REPEAT

    def arm(self, seconds: float) -> None:
        with self.cond:
            self.deadline = time.monotonic() + seconds
            self.fired = False
            if not self.watching:
                self.watching = True
                threading.Thread(target=self._run, name="polevents-time-limit", daemon=True).start()
            self.cond.notify()

    def disarm(self) -> bool:
        """No exception from this watch after this returns (one set but not yet delivered is cleared);
        True when the deadline passed."""
        with self.cond:
            self.deadline = None
            fired, self.fired = self.fired, False
            self.cond.notify()
            if fired:
                _raise_in(self.thread_id, None)
        return fired


def call_with_time_limit(seconds: float | None, function: Callable[..., T], *args: Any,
                         what: str = "the document", **kwargs: Any) -> T:
    """`function(*args, **kwargs)`, or DocumentTimeout when it runs longer than `seconds` (None: no limit)."""
    if not seconds or seconds <= 0:
        return function(*args, **kwargs)
    watchdog = _Watchdog.for_this_thread()
    if watchdog.deadline is not None:  # a limited call inside a limited call: the outer limit holds
        return function(*args, **kwargs)
    fired = False
    try:
        watchdog.arm(seconds)
        try:
            result = function(*args, **kwargs)
        finally:
            fired = watchdog.disarm()
    except _Expired:
        while True:  # the exception may land again inside disarm (a repeat): disarm until it is done
            try:
                watchdog.disarm()
                break
            except _Expired:
                continue
        raise DocumentTimeout(seconds, what) from None
    if fired:  # delivered nowhere (swallowed, or the function ended first): it ran out of time
        raise DocumentTimeout(seconds, what)
    return result


# ----- failures ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Failure:
    """Why one document has no events: a stable reason and a message a person can act on."""

    reason: str  # timeout, too_large or error
    message: str


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    return f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""


def failure_of(error: BaseException, limits: Limits | None = None) -> Failure:
    """The reason and message for an exception raised while coding one document."""
    if isinstance(error, DocumentTimeout):
        return Failure(TIMEOUT, f"{error}; it was given up (raise POLEVENTS_TIME_LIMIT to allow more time, "
                                "or lower POLEVENTS_MAX_CHARS)")
    if isinstance(error, MemoryError):
        chars = (limits or DEFAULT_LIMITS).max_chars
        return Failure(TOO_LARGE, f"out of memory while coding it (texts are cut at {chars:,} characters; "
                                  "lower POLEVENTS_MAX_CHARS)")
    text = " ".join(str(error).split())[:300]
    return Failure(ERROR, f"{type(error).__name__}: {text}{_where(error)} (a bug in polevents: run with "
                          "--debug and report it with the document)")


# ----- a coder that keeps to the limits --------------------------------------------------------------------------
MAX_RUN = 100  # characters without a space the tokenizer is given at once
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def break_long_runs(text: str, every: int = MAX_RUN) -> str:
    """`text` for the parser, with a space in place of every (every+1)-th character of a run of more than
    `every` characters without a space; same length, so every offset stays right.

    spaCy's tokenizer strips prefix and suffix characters from a whitespace-free chunk one at a time,
    copying the rest each time: its time grows with the square of the chunk ("[[[[...", "$$$$...", a run
    of emoji: 4,000 characters take 1-2 s, 50,000 several minutes), inside compiled code that no time
    limit can interrupt. No word of news is 100 characters long; a URL or a blob broken up codes the same.
    """
    if _LONG_RUN.search(text) is None:
        return text

    def cut(match: re.Match[str]) -> str:
        characters = list(match.group())
        for position in range(every, len(characters), every + 1):
            characters[position] = " "
        return "".join(characters)

    return _LONG_RUN.sub(cut, text)


@dataclass(slots=True)
class CodingResult:
    """One document's result from `GuardedCoder.code_each`: events, or a failure and no events."""

    document: Document
    events: list[Event]
    failure: Failure | None = None


class GuardedCoder:
    """A Coder with a time limit on every document; everything else is the wrapped coder's.

    `code` and `code_documents` keep the Coder's contract (they raise on a document that fails, and
    `polevents.store.coding.code_batch` then codes the batch one document at a time): the failure is
    a `DocumentTimeout` (reason `timeout`) when the time ran out. The results of a batch are kept
    until the next batch, so that retrying its documents one by one costs nothing and a slow document
    is not run twice. `code_each` never raises.
    """

    def __init__(self, coder: Any, limits: Limits | None = None):
        self.coder = coder
        self.limits = limits or DEFAULT_LIMITS
        self._last: dict[int, tuple[Document, list[Event] | None, BaseException | None]] = {}

    def __getattr__(self, name: str) -> Any:  # nlp, kb, resolver, ... of the wrapped coder
        if name == "coder":
            raise AttributeError(name)
        return getattr(self.coder, name)

    def _code_alone(self, document: Document) -> list[Event]:
        return call_with_time_limit(self.limits.time_limit, self.coder.code, document, what="coding")

    def code(self, document: Document) -> list[Event]:
        """The events of one document; DocumentTimeout when its time runs out."""
        known = self._last.get(id(document))
        if known is not None and known[0] is document:
            _, events, error = known
            if error is not None:
                raise error
            return list(events or [])
        return self._code_alone(document)

    def _outcomes(self, documents: Iterable[Document], batch_size: int
                  ) -> Iterator[tuple[Document, list[Event] | None, BaseException | None]]:
        """Each document with its events or its exception; the parse of a batch shares the batch's time."""
        from polevents.coder import parse_text

        documents = list(documents)
        seconds = self.limits.time_limit
        pairs = ((parse_text(d, self.coder.kb), d) for d in documents)
        parsed = iter(self.coder.nlp.pipe(pairs, as_tuples=True, batch_size=max(1, batch_size)))
        allowance = seconds * max(1, min(batch_size, len(documents))) if seconds else None
        for position, document in enumerate(documents):
            try:
                doc, same = call_with_time_limit(allowance, next, parsed, what="parsing a batch")
                if same is not document:
                    raise RuntimeError("the parser returned the documents out of order")
            except Exception:  # noqa: BLE001 - the batch parse broke: the rest one by one, each with its limit
                for rest in documents[position:]:
                    try:
                        yield rest, self._code_alone(rest), None
                    except Exception as error:  # noqa: BLE001 - reported per document
                        yield rest, None, error
                return
            try:
                events = call_with_time_limit(seconds, self.coder.code_parsed, document, doc, what="coding")
            except Exception as error:  # noqa: BLE001 - reported per document
                yield document, None, error
                continue
            yield document, events, None

    def code_documents(self, documents: Iterable[Document], *, batch_size: int = 32, n_process: int = 1
                       ) -> Iterator[tuple[Document, list[Event]]]:
        """(document, events) for each document, as `Coder.code_documents`; raises the first failure
        after the batch is done (the others are kept for `code`). `n_process` is ignored: one process.

        The documents are taken in at once (a batch of the ingest); for a stream, use `code_each`.
        """
        self._last = {}
        outcomes = list(self._outcomes(documents, batch_size))
        self._last = {id(d): (d, events, error) for d, events, error in outcomes}
        for _document, _events, error in outcomes:
            if error is not None:
                raise error
        return iter([(d, events or []) for d, events, _ in outcomes])

    def code_each(self, documents: Iterable[Document], *, batch_size: int = 32) -> Iterator[CodingResult]:
        """Every document coded or with a Failure (timeout, too_large, error); never raises for a document.

        Documents are taken from `documents` a batch at a time, so a stream of any length is fine.
        """
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= batch_size:
                yield from self._each(batch, batch_size)
                batch = []
        if batch:
            yield from self._each(batch, batch_size)

    def _each(self, batch: list[Document], batch_size: int) -> Iterator[CodingResult]:
        for document, events, error in self._outcomes(batch, batch_size):
            if error is None:
                yield CodingResult(document, events or [])
            else:
                yield CodingResult(document, [], failure_of(error, self.limits))


def guarded(coder: Any, limits: Limits | None = None) -> Any:
    """`coder` with the time limit on every document: a Coder wrapped in a GuardedCoder (one already
    guarded as it is); any other coder (a stand-in without `code_parsed`) as it is."""
    if isinstance(coder, GuardedCoder) or not hasattr(coder, "code_parsed"):
        return coder
    return GuardedCoder(coder, limits)


# ----- memory ------------------------------------------------------------------------------------------------------
def resident_memory() -> int:
    """This process's resident memory now, in bytes (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


__all__ = [
    "DEFAULT_LIMITS", "ERROR", "SKIP", "TIMEOUT", "TOO_LARGE", "TRUNCATE", "CodingResult", "DocumentTimeout",
    "Failure", "GuardedCoder", "Limits", "LimitsError", "break_long_runs", "call_with_time_limit", "failure_of",
    "guarded",
    "limits_from_env", "resident_memory",
]
