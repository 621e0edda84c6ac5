"""English words' plain opposites and other forms, read from WordNet's database files (Princeton WordNet 3.0,
as Debian's ``wordnet-base`` installs it; `make install` puts a copy in the virtualenv when the system has none).

The answerer asks three things of WordNet. First, the other forms a sentence may say a question's word in (its
"kin"): the word's lemma ("wrote": write), the words derived from it or it from them ("writer", "writing"), and
the other words of its commonest sense ("author": writer). A sentence that says one of them says the word, for
the rules that ask whether a sentence says something of the question (not for how much of it a sentence says).

Second, which words a question's word is the opposite of ("failure" and
"success", "male" and "female", "admit" and "deny", "downwind" and "upwind"), so that a sentence saying the
opposite in place of the asked word is not taken for an answer. Only WordNet's direct antonyms count, and
only between the two commonest senses of both words (WordNet lists a word's senses commonest first), which
leaves out an opposite of a rare sense: "start" is the opposite of "stop" only in its eighth sense, "give" of
"take" only in its third. Verbs of motion and of possession are left out: they name one event from its two
sides ("arrived in Kabul" is "left Pakistan"; "sold to Afghans" is "Afghans bought"). Opposites made by a
negating prefix ("mutable", "immutable") are left out too: "immutable unless declared" says what makes a thing
mutable.

Third, the national capitals of a country (its instances of "national capital" that are part of it:
"Islamabad" of Pakistan), which act for their country ("Islamabad reopened the crossings").

A word is looked up by its lemmas, found as WordNet's own ``morphy`` does: the word itself, its listed
irregular forms ("fell" is "fall"), and the regular endings each part of speech may take off, kept only where
WordNet has the result. Nothing is downloaded; the files are read once per process (about 1.5 s).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# where a WordNet 3.0 database is looked for, first found wins: the virtualenv's copy, then the system's
DEFAULT_DIRS = (
    Path(sys.prefix) / "share" / "wordnet",
    Path("/usr/share/wordnet"),
    Path("/usr/local/share/wordnet"),
)
_PARTS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# WordNet's morphy: the endings each part of speech may drop, and what replaces them
_ENDINGS = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}  # fmt: skip
_COMMON_SENSES = 2  # an opposite counts between the two commonest senses of both words
_EVENT_SIDES = frozenset({38, 40})  # lexicographer files verb.motion and verb.possession
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")
_NEVER_EVER = frozenset({"never", "ever"})
# the written words whose lemmas each WordNet keeps in hand, least recently asked dropped first: a corpus's
# sentences say the same words again and again, and each lookup tries every part of speech's endings (a few
# hundred bytes a word: some 10 MB at the bound)
LEMMA_MEMO_SIZE = 32_768

Lemma = tuple[str, str]  # (lemma, part of speech: n, v, a or r)


class WordNetMissingError(RuntimeError):
    """No WordNet database where one was looked for."""


@dataclass(frozen=True)
class WordNet:
    """The opposites of English words, and what a written word's lemmas are."""

    lemmas_known: frozenset[Lemma]
    exceptions: dict[tuple[str, str], frozenset[str]]  # (irregular form, part of speech) -> its lemmas
    antonyms: dict[Lemma, frozenset[Lemma]]
    derived: dict[Lemma, frozenset[str]]  # any lemma -> lemmas derived from it or it from them ("writer": write)
    synonyms: dict[Lemma, frozenset[str]]  # any lemma -> the other lemmas of its commonest sense ("author": writer)
    irregular: dict[str, frozenset[str]]  # a verb -> its irregular forms ("lose": lost)
    capitals: dict[str, frozenset[str]]  # a country -> its national capitals ("pakistan": islamabad)
    memo_size: int = field(default=LEMMA_MEMO_SIZE, compare=False)  # see LEMMA_MEMO_SIZE
    _memo: functools._lru_cache_wrapper[frozenset[Lemma]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the memo belongs to this WordNet (no module state); lru_cache is safe to share between threads
        object.__setattr__(self, "_memo", functools.lru_cache(maxsize=self.memo_size)(self._read_lemmas))

    def kin(self, word: str) -> frozenset[str]:
        """The lemmas a text saying ``word`` in other words may use: its own, those derived from it or it from
        them ("wrote": write, writer, writing), and the other words of its commonest sense ("author": writer)."""
        found: set[str] = set()
        for lemma in self.lemmas(word):
            found.add(lemma[0])
            found |= self.derived.get(lemma, frozenset())
            found |= self.synonyms.get(lemma, frozenset())
        return frozenset(found)

    def lemmas(self, word: str) -> frozenset[Lemma]:
        """The lemmas ``word`` may be a form of, with their parts of speech (WordNet's morphy), read once per
        word while it stays among the LEMMA_MEMO_SIZE words last asked."""
        return self._memo(word)

    def memo_info(self) -> functools._CacheInfo:
        """Hits, misses and size of the lemma memo."""
        return self._memo.cache_info()

    def _read_lemmas(self, word: str) -> frozenset[Lemma]:
        """The lemmas of ``word``, looked up (see ``lemmas``)."""
        word = word.casefold()
        if word.endswith(("'s", "’s")):
            word = word[:-2]  # a possessive: "the female's throat"
        found: set[Lemma] = set()
        for part, endings in _ENDINGS.items():
            if (word, part) in self.lemmas_known:
                found.add((word, part))
            found.update((base, part) for base in self.exceptions.get((word, part), ()))
            for ending, replacement in endings:
                if word.endswith(ending) and len(word) > len(ending) + 1:
                    base = word[: -len(ending)] + replacement
                    if (base, part) in self.lemmas_known:
                        found.add((base, part))
        return frozenset(found)

    def phrasal(self, word: str, after: str) -> bool:
        """True when ``word`` and the word ``after`` it make one of WordNet's multiword verbs ("fall into",
        "give up"): the word then means what the two mean together, not what it means alone."""
        after = after.casefold()
        return any((f"{lemma}_{after}", "v") in self.lemmas_known for lemma, part in self.lemmas(word) if part == "v")

    def phrasal_kin(self, word: str, after: str) -> frozenset[str]:
        """The kin (see ``kin``) of the multiword verb ``word`` makes with the word ``after`` it, if WordNet has
        one ("came back": come_back, return); none when it has not."""
        found: set[str] = set()
        for lemma, part in self.lemmas(word):
            if part == "v" and ((verb := f"{lemma}_{after.casefold()}"), "v") in self.lemmas_known:
                found |= self.kin(verb)
        return frozenset(found)

    def verb_forms(self, word: str) -> frozenset[str]:
        """The verbs ``word`` may be a form of and their irregular forms ("lost": lose, lost; "win": win, won)."""
        verbs = {lemma for lemma, part in self.lemmas(word) if part == "v"}
        return frozenset(verbs | {form for verb in verbs for form in self.irregular.get(verb, ())})

    def opposites(self, word: str) -> tuple[frozenset[str], frozenset[Lemma]]:
        """For a written word: the lemmas a text that says it has (its own and those derived from or to it:
        "arrival" for "arrived"), and the lemmas of its opposites, with their parts of speech."""
        own = self.lemmas(word)
        opposite = {o for lemma in own for o in self.antonyms.get(lemma, ())}
        bases = {word.casefold()} | {base for base, _ in own}
        opposite = {o for o in opposite if not any(_negates(o[0], base) for base in bases)}
        if not opposite:
            return frozenset(), frozenset()
        said = {word.casefold()} | {lemma for lemma, _ in own}
        for lemma in own:
            said |= self.derived.get(lemma, frozenset())
        return frozenset(said), frozenset(opposite)

    def nouns_of(self, words: Iterable[str]) -> frozenset[str]:
        """The lemmas of those of ``words`` that may be nouns, as nouns ("returns": return; "returned": none)."""
        return frozenset(lemma for lemma, part in self.lemmas_of(words) if part == "n")

    def lemmas_of(self, words: Iterable[str]) -> frozenset[Lemma]:
        """The lemmas of all of ``words``."""
        found: set[Lemma] = set()
        for word in words:
            found |= self.lemmas(word)
        return frozenset(found)


def _negates(one: str, other: str) -> bool:
    """True when one word is the other with a negating prefix ("immutable", "mutable"), or never/ever."""
    one, other = one.casefold(), other.casefold()
    if {one, other} == _NEVER_EVER:
        return True
    return any(one == p + other or other == p + one for p in _NEGATING_PREFIXES)


def find_directory(candidates: Iterable[Path] = DEFAULT_DIRS) -> Path | None:
    """The first of ``candidates`` that holds a WordNet database, or None."""
    return next((d for d in candidates if (d / "data.verb").is_file() and (d / "index.verb").is_file()), None)


@functools.cache
def load(directory: Path | None = None) -> WordNet:
    """WordNet read from ``directory`` (or the first of DEFAULT_DIRS that has it), once per process.

    Raises WordNetMissingError when there is none."""
    found = directory if directory is not None else find_directory()
    if found is None or not (found / "data.verb").is_file():
        raise WordNetMissingError(f"no WordNet database in {directory or ', '.join(map(str, DEFAULT_DIRS))}")
    words: dict[tuple[str, str], list[str]] = {}  # (part, offset) -> its synset's lemmas, in order
    files: dict[tuple[str, str], int] = {}  # (part, offset) -> its lexicographer file
    pointers: list[tuple[str, str, str, str, str, str]] = []  # (symbol, part, offset, to part, to offset, s/t)
    for name, part in _PARTS.items():
        with open(found / f"data.{name}", encoding="latin-1") as lines:
            for line in lines:
                if line.startswith(" "):
                    continue  # the licence
                fields = line.split(" | ", 1)[0].split()
                offset, lexfile, count = fields[0], int(fields[1]), int(fields[3], 16)
                lemmas = [_plain(fields[4 + 2 * k]) for k in range(count)]
                words[(part, offset)] = lemmas
                files[(part, offset)] = lexfile
                at = 4 + 2 * count
                for k in range(int(fields[at])):
                    symbol, to_offset, to_part, source_target = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                    if symbol in ("!", "+", "@i", "#p"):
                        pointers.append((symbol, part, offset, "a" if to_part == "s" else to_part, to_offset,
                                         source_target))  # fmt: skip
    senses: dict[Lemma, list[str]] = {}  # a lemma's synsets, commonest first
    for name, part in _PARTS.items():
        with open(found / f"index.{name}", encoding="latin-1") as lines:
            for line in lines:
                if line.startswith(" "):
                    continue
                fields = line.split()
                senses[(fields[0], part)] = fields[-int(fields[2]) :]
    exceptions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, part in _PARTS.items():
        with open(found / f"{name}.exc", encoding="latin-1") as lines:
            for line in lines:
                form, *bases = line.split()
                exceptions[(form, part)].update(bases)
    irregular: dict[str, set[str]] = defaultdict(set)
    for (written, pos), known_as in exceptions.items():
        if pos == "v":
            for verb in known_as:
                irregular[verb].add(written)
    antonyms: dict[Lemma, set[Lemma]] = defaultdict(set)
    derived: dict[Lemma, set[str]] = defaultdict(set)
    capital = senses.get(("national_capital", "n"), [""])[0]
    capitals: dict[str, set[str]] = defaultdict(set)
    is_capital = {(part, offset) for symbol, part, offset, _, to, _ in pointers if symbol == "@i" and to == capital}
    for symbol, part, offset, to_part, to_offset, source_target in pointers:
        if symbol in ("@i", "#p"):
            if symbol == "#p" and (part, offset) in is_capital:  # a national capital, part of its country
                for country in words[(to_part, to_offset)]:
                    capitals[country].update(w for w in words[(part, offset)] if "_" not in w)
            continue
        source, target = int(source_target[:2], 16), int(source_target[2:], 16)
        sources = words[(part, offset)] if source == 0 else [words[(part, offset)][source - 1]]
        targets = words[(to_part, to_offset)] if target == 0 else [words[(to_part, to_offset)][target - 1]]
        for one in sources:
            if "_" in one:
                continue
            if symbol == "+":
                derived[(one, part)].update(t for t in targets if "_" not in t)
                continue
            if part == "v" and files[(part, offset)] in _EVENT_SIDES:
                continue
            if offset not in senses.get((one, part), [])[:_COMMON_SENSES]:
                continue
            for other in targets:
                if "_" not in other and to_offset in senses.get((other, to_part), [])[:_COMMON_SENSES]:
                    antonyms[(one, part)].add((other, to_part))
    synonyms: dict[Lemma, frozenset[str]] = {}
    for lemma, offsets in senses.items():
        others = [w for w in words[(lemma[1], offsets[0])] if w != lemma[0] and "_" not in w]
        if others:
            synonyms[lemma] = frozenset(others)
    log.info("WordNet read from %s: %d words with opposites", found, len(antonyms))
    return WordNet(
        lemmas_known=frozenset(senses),
        exceptions={k: frozenset(v) for k, v in exceptions.items()},
        antonyms={k: frozenset(v) for k, v in antonyms.items()},
        derived={k: frozenset(v) for k, v in derived.items()},
        synonyms=synonyms,
        irregular={k: frozenset(v) for k, v in irregular.items()},
        capitals={k: frozenset(v) for k, v in capitals.items() if "_" not in k},
    )


def _plain(word: str) -> str:
    """A lemma as a data file writes it, without its adjective marker ("(a)", "(p)") and in small letters."""
    return word.split("(", 1)[0].casefold()
