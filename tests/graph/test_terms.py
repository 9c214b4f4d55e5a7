"""Search terms match word forms and code spellings alike, the stemmer is safe across threads, search asks each form."""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import snowballstemmer

from graph.sources.slack_search import queries
from graph.terms import STOPWORDS, covers, extract_terms, is_match, match_count, needed, normalize, stem, terms_in


@pytest.mark.parametrize("text, term", [
    ("We saw timeouts at checkout", "timeout"),  # another form of the word, by its stem
    ("one timeout at checkout", "timeouts"),
    ("Summer 25 codes rejected", "summer25"),
    ("SUMMER25 codes rejected", "summer25"),
    ("see #summer25 for details", "summer25"),
    ("<https://x.test/a|Summer 25> launch", "summer25"),  # a Slack link's label
    ("gateway timeout 504 at the edge", "timeout"),  # normalised to 'timeout504', read as two words too
    ("gateway timeout 504 at the edge", "504"),
    ("summer25 launch", "summer"),  # both readings of 'summer25' count, so its word part matches
    ("a configuration change", "config"),  # a long term matches as a word prefix (stem is 'configur')
])
def test_terms_match_other_forms_and_spellings_of_the_same_word(text, term):
    assert terms_in(text, [term]) == {term}
    assert match_count(text, [term]) == 1 and is_match(text, [term])


@pytest.mark.parametrize("text, term", [
    ("the product catalog", "cat"),  # a short term is no prefix: only whole words or their stem
    ("summer promo", "summer25"),  # a code needs its digits
    ("summer26 promo", "summer25"),
    ("gateway time out", "timeout"),
])
def test_terms_do_not_match_mere_parts_of_other_words(text, term):
    assert terms_in(text, [term]) == set() and not is_match(text, [term])


def test_normalize_joins_letters_and_digits_into_one_word():
    assert normalize("Summer 25!") == "summer25" and normalize("timeout 504") == "timeout504"


def test_match_count_counts_each_named_term_once():
    named = ["timeout", "checkout", "summer25", "refund"]
    text = "Timeouts at checkout during SUMMER 25, more timeouts"
    assert terms_in(text, named) == {"timeout", "checkout", "summer25"} and match_count(text, named) == 3
    assert is_match("timeouts everywhere", ["timeout", "refund"])  # one of two is enough
    assert not is_match("timeouts everywhere", named)  # one of four is not


def test_needed_is_one_of_up_to_two_terms_else_half_rounded_up():
    assert [needed(["t"] * n) for n in range(1, 8)] == [1, 1, 2, 2, 3, 3, 4]


def test_covers_counts_terms_named_across_texts():
    named = ["checkout", "timeout", "summer25", "refund"]
    assert covers(["checkout broke", "lots of timeouts since noon"], named)
    assert not covers(["checkout broke", "checkout still broken"], named)  # the same term twice is one term
    assert not covers(["checkout broke"], named)
    assert covers(["only timeouts here"], ["checkout", "timeout"])
    assert not covers([], ["checkout"])


def test_stopwords_are_never_terms():
    assert extract_terms("Checkout timeouts not during the Summer 25 sale") == ["checkout", "timeouts", "summer25",
                                                                               "sale"]
    for word in sorted(STOPWORDS):
        assert extract_terms(f"{word} checkout {word.upper()} refunds") == ["checkout", "refunds"], word


def test_dates_are_not_terms():
    assert extract_terms("checkout down 2026-01-28") == ["checkout", "down"]


def generated_words(n: int = 2000) -> list[str]:
    roots = ["connect", "generat", "relat", "condition", "happi", "nation", "organ", "process", "argu", "hope"]
    endings = ["ing", "ations", "ness", "fully", "ed", "ively", "izer", "ousness", "s", "alism"]
    middles = [a + b for a in "bcdfghklmnprst" for b in "aeiou"]
    return [r + m + e for r, m, e in itertools.product(roots, middles, endings)][:n]


def stem_concurrently(words: list[str], threads: int = 8) -> dict[str, str]:
    """Every word stemmed through graph.terms.stem from `threads` threads at once, with switches as often as
    CPython allows so that unguarded stemmer state is shared mid-word; errors become the result."""
    def work(chunk: list[str]) -> dict[str, str]:
        out = {}
        for w in chunk:
            try:
                out[w] = stem(w)
            except Exception as exc:  # noqa: BLE001 - a corrupted stemmer may raise anything
                out[w] = repr(exc)
        return out

    interval = sys.getswitchinterval()
    stem.cache_clear()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(work, [words[i::threads] for i in range(threads)]))
    finally:
        sys.setswitchinterval(interval)
        stem.cache_clear()  # nothing computed here outlives the test
    return {w: s for r in results for w, s in r.items()}


def test_stemming_from_many_threads_gives_the_single_threaded_stems():
    words = generated_words()
    assert len(set(words)) == 2000
    reference = snowballstemmer.stemmer("english")
    want = {w: reference.stemWord(w) for w in words}
    assert sum(want[w] != w for w in words) > 1500  # words a stemmer really changes
    got = stem_concurrently(words)
    wrong = {w: (got[w], want[w]) for w in words if got[w] != want[w]}
    assert not wrong, f"{len(wrong)} words stemmed wrongly, e.g. {list(wrong.items())[:3]}"


def test_slack_search_asks_for_every_spelling_and_form():
    assert queries(["inc231", "timeouts"]) == ["inc231", '"inc 231"', "inc-231", "timeouts", "timeout"]
    assert queries(["bugs", "timeout", "timeouts"]) == ["bugs", "timeout", "timeouts"]  # stem too short; no repeats
