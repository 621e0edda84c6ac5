"""The offline answerer's general evidence rules on a small invented corpus, through the real pipeline
(indexing with claims, the real model, FAISS and BM25): what kind of thing answers a question, and what
does not count as one."""

from __future__ import annotations

import pytest

from bot.answering.questions import read_question
from bot.answering.service import AnswerService
from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder

pytestmark = pytest.mark.slow

ARTICLES = {
    "arden.md": (
        "The Arden River",
        "The Arden is a river in the western hills, about 410 kilometres long, and the longest in the province. "
        "Its largest town is Mirefield, a market town of about 40,000 people.\n\n"
        "The Arden flood struck Mirefield between 3 and 9 May 1921. Officials later counted 1,200 people "
        "evacuated from their homes in the lower town.",
    ),
    "holm.md": (
        "The Holm Bridge",
        "The Holm Bridge carries road traffic across the Arden in Mirefield, a town of about 40,000 people. "
        "Opened in 1968, it has a main span of 640 metres and a total length of 1,100 metres.",
    ),
    "fever.md": (
        "Arden fever",
        "Arden fever, first described by Dr Lena Holt, is a disease spread by ticks in the western hills. "
        "The Arden virus that causes it was "
        "isolated in 1961.\n\nSymptoms usually begin within a week of the bite.",
    ),
    "returns.md": (
        "Returns to Norland",
        "Over 2 million migrants came back from Norland and Vesta between 2020 and 2022, the agency said. "
        "The Vesta council promised to resettle families from the camps by June. Officials counted 3,000 "
        "people who left the camps in May.",
    ),
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> AnswerService:
    root = tmp_path_factory.mktemp("rules")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, (title, body) in ARTICLES.items():
        front = f'---\ntitle: "{title}"\nurl: https://example.org/{name[:-3]}\ndate: 2024-05-01\nsource: "Atlas"\n---\n'
        (corpus / name).write_text(front + body + "\n", encoding="utf-8")
    built = AnswerService(Settings(data_dir=root / "data", seeds_dir=corpus), embedder)
    assert not built.index_sources([str(corpus)]).failed
    return built


def test_how_long_wide_or_old_asks_for_a_measure() -> None:
    for question in ("How long is the Arden?", "how wide is the bridge", "How old is the town?"):
        shape = read_question(question)
        assert shape.kind == "measure" and shape.measure == question.split()[1].casefold()
    assert read_question("How long is the Arden?").words == ("arden",)  # the adjective is the form, not the subject


async def test_a_measure_is_answered_by_the_sentence_that_measures_it(service: AnswerService) -> None:
    river = await service.ask("How long is the Arden River?")
    assert not river.refused and "410 kilometres" in river.lead[0].text, river.text
    span = await service.ask("How long is the main span of the Holm Bridge?")
    assert not span.refused and "640 metres" in span.lead[0].text, span.text  # not the town's 40,000 people


async def test_the_days_of_a_date_are_not_a_count(service: AnswerService) -> None:
    answer = await service.ask("How many people were evacuated during the Arden flood?")
    assert not answer.refused and "1,200" in answer.lead[0].text, answer.text


async def test_a_word_that_starts_a_sentence_is_not_a_name(service: AnswerService) -> None:
    # the virus "was isolated in 1961" by nobody the sources name; "Symptoms" opening the next sentence is no one
    answer = await service.ask("Who isolated the Arden virus?")
    assert answer.refused, answer.text


async def test_a_name_answers_only_what_its_own_sentence_says(service: AnswerService) -> None:
    # Dr Holt described the fever, in the sentence before the one that says the virus was isolated
    answer = await service.ask("Who isolated the Arden virus in 1961?")
    assert "Holt" not in answer.text, answer.text


async def test_a_figure_for_two_places_is_no_answer_for_one_alone(service: AnswerService) -> None:
    answer = await service.ask("How many migrants came back from Norland alone?")
    assert "2 million" not in answer.text, answer.text


async def test_a_figure_answers_only_with_what_its_own_sentence_says(service: AnswerService) -> None:
    # "resettle" is in the sentence before the 3,000, which counts people who left, not families resettled
    answer = await service.ask("How many families did the Vesta council resettle?")
    assert "3,000" not in answer.text, answer.text


async def test_a_date_answers_only_what_its_own_sentence_says(service: AnswerService) -> None:
    # "spread" is said in the sentence before "isolated in 1961": that date is not when it spread
    answer = await service.ask("When did Arden fever spread in the western hills?")
    assert "1961" not in answer.text, answer.text
