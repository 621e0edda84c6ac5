"""Figures as claims: what, event, status, as-of and who read from the parse; stored, reloaded and reused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.claims import MAX_WHO_TOKENS, EnglishParser, date_iso, extract_claims, parse_number
from index.documents import content_id, load_file
from index.embedding import SentenceTransformerEmbedder
from index.indexing import apply_documents, chunking_config, remove_documents
from index.search import HybridSearcher
from index.store import load_snapshot, save_snapshot
from index.types import Claim, Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def parser() -> EnglishParser:
    """One English parser for the module (spaCy loads on first use)."""
    return EnglishParser()


def document(text: str, *, date: str | None = "2024-05-10", language: str = "en") -> Document:
    """A one-off document from a given outlet and date."""
    return Document(
        doc_id=content_id(text),
        text=text,
        title="t",
        source="The Outlet",
        date=date,
        url=None,
        origin=f"/tmp/{content_id(text)}.txt",
        language=language,
    )


def claim_for(parser: EnglishParser, text: str, figure: str, **kwargs: str | None) -> Claim:
    """The one claim whose figure is ``figure`` in ``text``."""
    claims = [c for c in extract_claims(document(text, **kwargs), parser) if c.figure == figure]
    assert len(claims) == 1, [c.figure for c in extract_claims(document(text, **kwargs), parser)]
    return claims[0]


@pytest.mark.parametrize(
    ("text", "figure", "expected"),
    [
        (
            "The city council approved 3 new parks in 2021.",
            "3",
            {"kind": "count", "value": 3.0, "what": "new parks", "event": "approve", "status": "happened",
             "as_of": "2021", "period": "in 2021", "who": "The Outlet"},
        ),
        (
            "About 1.3 million PoR holders will be deported from September.",
            "About 1.3 million",
            {"value": 1.3e6, "qualifier": "About", "what": "PoR holders", "event": "deport", "status": "planned",
             "as_of": "2024-05-10", "period": "from September"},
        ),
        (
            "An estimated 4 million people live there.",
            "4 million",
            {"value": 4e6, "what": "people", "event": "live", "status": "estimate"},
        ),
        (
            "Since November 2023, Pakistan has deported 527,000 Afghans, UNHCR said.",
            "527,000",
            {"what": "Afghans", "event": "deport", "status": "happened", "as_of": "2024-05-10",
             "period": "Since November 2023", "who": "UNHCR"},
        ),
        (
            "Nearly 1 million Afghans face deportation, according to the International Organization for Migration.",
            "Nearly 1 million",
            {"qualifier": "Nearly", "what": "Afghans", "event": "face deportation", "status": "planned",
             "who": "the International Organization for Migration"},
        ),
        (
            "In a new survey, 84 percent of people backed the order.",
            "84 percent",
            {"kind": "percent", "value": 84.0, "what": "people", "event": "back order", "status": "happened"},
        ),
        (
            "The company earned $5 billion in 2023, up 54% from a year earlier.",
            "$5 billion",
            {"kind": "amount", "value": 5e9, "event": "earn", "as_of": "2023"},
        ),
        (
            "The museum is set to welcome 20,000 visitors by 15 April.",
            "20,000",
            {"what": "visitors", "event": "welcome", "status": "planned", "as_of": "2024-04-15",
             "period": "by 15 April"},
        ),
        (
            "In 2025 alone, more than 800,000 people returned, the ministry said.",
            "more than 800,000",
            {"qualifier": "more than", "what": "people", "event": "return", "status": "happened", "as_of": "2025",
             "period": "In 2025 alone", "who": "the ministry"},
        ),
        (
            "So far, 3,329 families have registered with the agency.",
            "3,329",
            {"what": "families", "event": "register", "status": "happened", "period": "So far", "who": "The Outlet"},
        ),
        (
            "The school will hire 40 teachers next year.",
            "40",
            {"what": "teachers", "event": "hire", "status": "planned", "as_of": "2025", "period": "next year"},
        ),
        (
            "Official figures show that, as of October 16, the number of cars sold had passed 1.47 million.",
            "1.47 million",
            {"what": "number of cars sold", "event": "sell", "as_of": "2024-10-16", "period": "as of October 16",
             "who": "Official figures"},
        ),
        (
            "Over half a million fans attended the final.",
            "Over half a million",
            {"value": 5e5, "qualifier": "Over", "what": "fans", "event": "attend final", "status": "happened"},
        ),
        (
            "The bridge took 18 months to build.",
            "18 months",
            {"kind": "duration", "value": 18.0},
        ),
        (
            "The library's old cards expired on June 30.",
            "June 30",
            {"kind": "date", "value": None, "what": "old cards", "event": "expire", "as_of": "2024-06-30",
             "status": "planned"},
        ),
        (
            "The deadline of March 31, 2025 was extended.",
            "March 31, 2025",
            {"kind": "date", "what": "deadline", "event": "extend", "as_of": "2025-03-31"},
        ),
        (
            "Berlin, May 10 (AP): The games will open soon.",
            "May 10",
            {"kind": "date", "status": "happened", "as_of": "2024-05-10"},
        ),
        (
            # the date is the time of a clause with its own subject, not of the crossing
            "Some 6,400 people crossed on Thursday, according to guards, who said the number was lower because "
            "many families had left in October.",
            "Some 6,400",
            {"what": "people", "event": "cross", "as_of": "2024-05-10", "period": "on Thursday"},
        ),
        (
            # a range of a currency is a sum of money, whether or not the entity tagger says so
            "Families said they had paid between 60,000 and 120,000 rupees to hire trucks.",
            "between 60,000 and 120,000 rupees",
            {"kind": "amount", "value": 60000.0, "value_max": 120000.0, "event": "pay"},
        ),
        (
            "Voting ended on Nov 1 after a long campaign.",
            "Nov 1",
            {"kind": "date", "event": "end", "as_of": "2023-11-01", "status": "happened"},
        ),
    ],
)  # fmt: skip
def test_claims_of_general_sentences(
    parser: EnglishParser, text: str, figure: str, expected: dict[str, object]
) -> None:
    date = "2023-12-01" if "Nov 1" in text else "2024-05-10"
    claim = claim_for(parser, text, figure, date=date)
    assert {name: getattr(claim, name) for name in expected} == expected


def test_a_date_without_a_year_in_a_history_takes_the_last_year_given(parser: EnglishParser) -> None:
    text = (
        "The flood struck the town in October 1887.\n\nOn the night of 10 October, the dyke gave way. "
        "The flood is remembered every year on 10 October."
    )
    claims = extract_claims(document(text, date="2021-03-14"), parser)
    assert [(c.figure, c.as_of) for c in claims] == [("October 1887", "1887-10"), ("10 October", "1887-10-10"),
                                                     ("10 October", None)]  # fmt: skip
    news = "The minister spoke of the 2003 drive. The new deadline is April 30."
    assert [c.as_of for c in extract_claims(document(news, date="2025-04-10"), parser)] == ["2003", "2025-04-30"]


def test_a_year_that_ends_a_name_sets_no_time_for_later_dates(parser: EnglishParser) -> None:
    # a law's year is not a history's: "March 31" in a 2025 article is 2025's, not 1951's
    text = "Those who stay will be deported under the Citizenship Act of 1951. The deadline was March 31."
    assert [c.as_of for c in extract_claims(document(text, date="2025-04-10"), parser)] == ["1951", "2025-03-31"]
    law = "They were charged under the Residents Act, 2015. Police had detained 9,412 people since November 1."
    assert extract_claims(document(law, date="2024-01-23"), parser)[-1].as_of == "2023-11-01"
    # a year before its name still dates what follows: the 1962 final was played on 3 June 1962
    cup = "Ostland hosted the 1962 World Cup. The final was played on 3 June."
    assert extract_claims(document(cup, date="2024-01-01"), parser)[-1].as_of == "1962-06-03"


def test_a_pronoun_source_takes_the_last_named_one(parser: EnglishParser) -> None:
    text = "The survey found that 64% of the respondents agreed. It said 54 had left the city."
    claims = extract_claims(document(text), parser)
    assert [(c.figure, c.who) for c in claims] == [("64%", "The survey"), ("54", "The survey")]
    assert claims[1].event == "leave city" and claims[1].what == ""


def test_offsets_are_verbatim_slices_of_the_document(parser: EnglishParser) -> None:
    for path in sorted(SEEDS.glob("*")):
        if path.name.endswith(".meta.yaml"):
            continue
        doc = load_file(path)
        claims = extract_claims(doc, parser)
        assert claims, path.name
        for claim in claims:
            assert doc.text[claim.start : claim.end] == claim.figure
            assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
            assert claim.what in doc.text[claim.sentence_start : claim.sentence_end]


def test_seed_articles_give_the_figures_the_issue_names(parser: EnglishParser) -> None:
    por = extract_claims(load_file(SEEDS / "16_latestly-por-deportation-sept-1.md"), parser)
    holders = next(c for c in por if c.figure == "more than 1.3 million")
    assert (holders.what, holders.status) == ("Afghan refugees", "planned")
    start = next(c for c in por if c.figure == "September 1, 2025")
    assert (start.kind, start.as_of, start.status) == ("date", "2025-09-01", "planned")
    iom = extract_claims(load_file(SEEDS / "14_menafn-iom-one-million-assisted.md"), parser)
    returned = next(c for c in iom if c.figure == "over 2.43 million")
    assert (returned.what, returned.event, returned.status, returned.who) == (
        "undocumented Afghan migrants",
        "come back",
        "happened",
        "IOM",
    )
    assert (returned.as_of, returned.period) == ("2025", "between September 2023 and 2025")
    minister = extract_claims(load_file(SEEDS / "13_latestly-talal-chaudhry-11230.md"), parser)
    sent_back = next(c for c in minister if c.figure == "no fewer than 8,57,157")
    assert (sent_back.value, sent_back.event, sent_back.period) == (857157.0, "send back", "since Oct 30, 2023")


def test_urdu_article_yields_its_figures_with_the_article_date_and_outlet(parser: EnglishParser) -> None:
    doc = load_file(SEEDS / "05_geo-urdu-gallup-84-percent.md")
    assert doc.language == "ur"
    claims = extract_claims(doc, parser)
    percents = [c for c in claims if c.kind == "percent"]
    assert {c.value for c in percents} >= {84.0, 69.0, 64.0, 55.0}
    assert all(c.as_of == "2023-11-08" and c.who == "Geo News (Urdu)" and c.status == "unknown" for c in percents)
    assert any(c.kind == "count" and c.value == 750.0 for c in claims)
    eastern = extract_claims(document("۸۴٪ لوگ", language="ur"), parser)
    assert [(c.kind, c.value) for c in eastern] == [("percent", 84.0)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("527,000", 527000.0),
        ("1.3 million", 1.3e6),
        ("2.43M", 2.43e6),
        ("one million", 1e6),
        ("half a million", 5e5),
        ("8,57,157", 857157.0),
        ("twenty five", 25.0),
        ("$5 billion", 5e9),
        ("۸۴", 84.0),
        ("none", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_a_date_without_a_year_takes_the_year_nearest_the_article() -> None:
    assert date_iso("1", "November", None, "2024-04-27") == "2023-11-01"
    assert date_iso("15", "January", None, "2023-12-01") == "2024-01-15"
    assert date_iso("30", "June", None, "2025-08-06") == "2025-06-30"
    assert date_iso(None, "September", None, "2025") == "2025-09"


def test_dates_are_as_precise_as_the_text() -> None:
    assert date_iso("31", "March", "2025", None) == "2025-03-31"
    assert date_iso(None, "Nov", "2023", None) == "2023-11"
    assert date_iso("1st", "Sept.", None, "2024-04") == "2024-09-01"
    assert date_iso(None, "May", None, None) is None
    assert date_iso("31", "February", "2025", None) == "2025-02"


@pytest.mark.parametrize(
    ("text", "dates", "counts"),
    [
        (
            "The flood struck Mirefield between 3 and 9 May 1921; 1,200 people fled.",
            ["1921-05-03", "1921-05-09"],
            ["1,200"],
        ),
        ("Talks ran from May 3 to 9, 2024, and 40 delegates attended.", ["2024-05-03", "2024-05-09"], ["40"]),
        ("Between 12 and 15 people died on 3 June 2024.", ["2024-06-03"], ["Between 12 and 15"]),
    ],
)
def test_the_other_end_of_a_day_range_is_a_date_not_a_count(
    parser: EnglishParser, text: str, dates: list[str], counts: list[str]
) -> None:
    claims = extract_claims(document(text), parser)
    assert sorted(c.as_of or "" for c in claims if c.kind == "date") == dates
    assert [c.figure for c in claims if c.kind == "count"] == counts


def test_a_sentence_with_no_figure_gives_no_claim(parser: EnglishParser) -> None:
    assert extract_claims(document("The ministry may decide soon. One of them left."), parser) == []


@pytest.mark.slow
def test_claims_are_saved_loaded_and_reused(
    data_dir: Path, embedder: SentenceTransformerEmbedder, parser: EnglishParser
) -> None:
    snapshot = load_snapshot(data_dir / "index", MODEL)
    assert snapshot.claims_extractor == parser.name
    assert len(snapshot.claims_by_doc) == len(snapshot.documents)
    for doc_id, doc in snapshot.documents.items():
        assert snapshot.claims_of(doc_id) == extract_claims(doc, parser)

    chunking = snapshot.chunking
    extra = document("The council approved 12 new libraries in 2022, the mayor said.")
    updated, report = apply_documents(
        snapshot, [extra], embedder, chunking=chunking, index_type=snapshot.index_type, parser=parser
    )
    assert report.claims_extracted == 1
    assert [c for c in updated.claims if c.doc_id != extra.doc_id] == snapshot.claims
    library = updated.claims_of(extra.doc_id)[0]
    assert (library.figure, library.what, library.who, library.as_of) == ("12", "new libraries", "the mayor", "2022")

    save_snapshot(data_dir / "index", updated)
    reloaded = load_snapshot(data_dir / "index", MODEL)
    assert reloaded.claims == updated.claims
    assert reloaded.claims_within(extra.doc_id, 0, len(extra.text)) == updated.claims_of(extra.doc_id)
    assert reloaded.claims_within(extra.doc_id, 0, 10) == []

    smaller = remove_documents(reloaded, [extra.doc_id])
    assert smaller.claims == snapshot.claims and smaller.claims_extractor == parser.name

    redated = replace(extra, date="2023-01-01")  # same text, new metadata: its claims are read again
    _, report = apply_documents(
        updated, [redated], embedder, chunking=chunking, index_type=updated.index_type, parser=parser
    )
    assert report.claims_extracted == 1


@pytest.mark.slow
def test_an_index_without_claims_gets_them_without_re_embedding(
    data_dir: Path, embedder: SentenceTransformerEmbedder, parser: EnglishParser
) -> None:
    snapshot = load_snapshot(data_dir / "index", MODEL)
    old = replace(snapshot, claims=[], claims_extractor="")
    rebuilt, report = apply_documents(
        old, [], embedder, chunking=snapshot.chunking, index_type=snapshot.index_type, parser=parser
    )
    assert report.chunks_embedded == 0
    assert report.claims_extracted == len(snapshot.documents)
    assert rebuilt.claims == snapshot.claims
    assert chunking_config(snapshot.chunking.max_tokens, snapshot.chunking.overlap_sentences) == snapshot.chunking


@pytest.mark.slow
def test_passages_carry_the_claims_stated_inside_them(data_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    snapshot = load_snapshot(data_dir / "index", MODEL)
    passages = HybridSearcher(snapshot, embedder).search("How many Afghans has Pakistan deported?", k=6)
    assert any(p.claims for p in passages)
    for passage in passages:
        for claim in passage.claims:
            assert claim.doc_id == passage.doc_id
            assert passage.start <= claim.sentence_start and claim.sentence_end <= passage.end
            assert passage.text[claim.start - passage.start : claim.end - passage.start] == claim.figure
        inside = [c for c in snapshot.claims_of(passage.doc_id) if passage.start <= c.sentence_start]
        assert [c for c in inside if c.sentence_end <= passage.end] == list(passage.claims)


@pytest.mark.parametrize(
    ("subject", "who"),
    [
        # 12 words: the cap (MAX_WHO_TOKENS), kept whole
        ("The director of the largest public library in the old northern city", None),
        # 14 words: beyond the cap, cut to the head and the words before it
        ("The director of the largest public library in the old northern city of Lyon", "The director"),
    ],
)
def test_a_long_source_is_cut_to_its_head(parser: EnglishParser, subject: str, who: str | None) -> None:
    assert len(subject.split()) in {MAX_WHO_TOKENS, MAX_WHO_TOKENS + 2}
    claim = claim_for(parser, f"{subject} said 40 schools closed.", "40")
    assert claim.who == (who or subject)


@pytest.mark.parametrize(
    ("phrase", "what"),
    [
        ("the children from the very poor families", "children from the very poor families"),  # 7 words
        ("the children from the very poor rural families", "children from the very poor rural families"),  # 8
        ("the children from the very poor families of the city", "children"),  # 10: beyond the limit
    ],
)
def test_a_long_partitive_is_cut_to_its_head(parser: EnglishParser, phrase: str, what: str) -> None:
    claim = claim_for(parser, f"The director said that 1,000 of {phrase} enrolled.", "1,000")
    assert claim.what == what


@pytest.mark.parametrize(
    ("text", "figure", "expected"),
    [
        ("The university was founded in 1842 by a religious order.", "1842",
         {"kind": "date", "what": "university", "event": "found", "as_of": "1842", "status": "happened"}),
        ("Roughly 30% of the world's land area is covered by forests, the FAO reported.", "Roughly 30%",
         {"qualifier": "Roughly", "what": "the world's land area", "event": "cover", "who": "the FAO"}),
        ("The government plans to build 500,000 homes by 2030.", "500,000",
         {"what": "homes", "event": "build", "status": "planned", "as_of": "2030", "period": "by 2030"}),
        ("The company expects to hire up to 2,000 workers next year.", "up to 2,000",
         {"qualifier": "up to", "what": "workers", "event": "hire", "status": "planned", "as_of": "2025"}),
        ("According to the WHO, malaria caused 608,000 deaths in 2022.", "608,000",
         {"what": "deaths", "event": "cause", "status": "happened", "as_of": "2022", "who": "the WHO"}),
        ("The dam is expected to generate 22,500 megawatts when completed.", "22,500",
         {"what": "megawatts", "event": "generate", "status": "planned"}),
        ("The bill provides £1.5bn for schools.", "£1.5bn", {"kind": "amount", "value": 1.5e9, "event": "provide"}),
        ("The population of the city was 8,336,817 in 2019.", "8,336,817",
         {"what": "population of the city", "event": "be", "as_of": "2019"}),
        ("The storm killed 42 people and left 1.2 million homes without power.", "1.2 million",
         {"what": "homes", "event": "leave", "status": "happened"}),
        ("An estimated 25,000 people attended the rally on Saturday, police said.", "25,000",
         {"what": "people", "status": "estimate", "who": "police"}),
        ("Adults weigh between 22 and 55 kilograms.", "between 22 and 55",
         {"value": 22.0, "value_max": 55.0, "qualifier": "between", "what": "kilograms", "event": "weigh"}),
        ("Tails measure 75 to 150 centimetres.", "75 to 150",
         {"value": 75.0, "value_max": 150.0, "what": "centimetres"}),
        ("The port can handle ships of up to 18,000 containers.", "up to 18,000", {"status": "happened"}),
        ("The record of 71 goals was set in 2009.", "71", {"what": "goals", "status": "happened", "as_of": "2009"}),
        ("Officials put the death toll at 214.", "214", {"what": "death toll", "event": "put toll"}),
        ("According to the 2021 census, the city has about 1.8 million residents.", "about 1.8 million",
         {"what": "residents", "as_of": "2021", "who": "the 2021 census"}),
        ("On Monday, 3,329 runners finished the race.", "3,329",
         {"what": "runners", "event": "finish race", "as_of": "2024-05-10", "period": "On Monday"}),
        ("More than 11,000 homes have been sold since the new rules took effect last month.", "More than 11,000",
         {"what": "homes", "event": "sell", "as_of": "2024-05-10",
          "period": "since the new rules took effect last month"}),
        ("In a poll carried out in November 2023, the institute found that 61% of voters backed the plan.", "61%",
         {"what": "voters", "as_of": "2023-11", "period": "in November 2023", "who": "the institute"}),
        ("Berlin, May 2 (AP): Officials said 300 flights were cancelled.", "300",
         {"what": "flights", "event": "cancel", "as_of": "2024-05-10", "who": "Officials"}),
        # "per cent", as British and Commonwealth outlets write it, is a percent, not a count or a sum of money
        ("Some 41 per cent of the women surveyed had earned an income.", "Some 41 per cent",
         {"kind": "percent", "value": 41.0, "what": "women surveyed", "event": "earn income"}),
        ("The trust owns 58 per cent of the shares.", "58 per cent",
         {"kind": "percent", "value": 58.0, "what": "shares", "event": "own"}),
        ("The appeal is only 18 per cent funded so far.", "only 18 per cent", {"kind": "percent", "value": 18.0}),
        # a currency's abbreviation or code before the figure makes it a sum of money, as a symbol does
        ("Holders who lost their card must pay Rs 1,500 for a duplicate.", "Rs 1,500",
         {"kind": "amount", "value": 1500.0, "event": "pay"}),
        # ... also written with a full stop, as Pakistani and Indian outlets often do
        ("A duplicate card costs Rs. 1,500, the office said.", "Rs. 1,500", {"kind": "amount", "value": 1500.0}),
        ("Traders had lost about PKR 380 million by April.", "about PKR 380 million",
         {"kind": "amount", "value": 3.8e8, "qualifier": "about"}),
        # a currency's name that is also an English word is no currency before a figure
        ("The club won 11 league titles.", "11", {"kind": "count", "what": "league titles", "event": "win"}),
        # a number word counts a part of a group as it counts a noun ("one of them" is no figure: see below)
        ("Police had detained five of the petitioners by March.", "five",
         {"kind": "count", "value": 5.0, "what": "petitioners", "event": "detain"}),
        # a forward-looking participle on the figure, or on what it counts, makes it planned
        ("The board had built 3,800 houses, with a further 2,500 planned in the north.", "further 2,500",
         {"status": "planned"}),
        ("The board had built 3,800 houses, with a further 2,500 planned in the north.", "3,800",
         {"what": "houses", "status": "happened"}),
        ("The council approved the scheme, with 1,000 homes planned for the old dockyard.", "1,000",
         {"what": "homes", "status": "planned"}),
        ("Construction of 40 new stations will begin on September 1, the mayor announced.", "40",
         {"what": "new stations", "status": "planned", "as_of": "2024-09-01", "period": "on September 1",
          "who": "the mayor"}),
    ],
)  # fmt: skip
def test_claims_on_other_topics(parser: EnglishParser, text: str, figure: str, expected: dict[str, object]) -> None:
    claim = claim_for(parser, text, figure)
    assert {name: getattr(claim, name) for name in expected} == expected
