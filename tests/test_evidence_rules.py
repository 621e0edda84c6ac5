"""The offline answerer's general evidence rules on a small invented corpus, through the real pipeline
(indexing with claims, the real model, FAISS and BM25): what kind of thing answers a question, and what
does not count as one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.answering import calibration
from bot.answering.answers import Answer
from bot.answering.calibration import collect
from bot.answering.evaluation import EvalQuestion
from bot.answering.extractive import (
    _WENT_TO_REACH,
    REFUSAL_TEXT,
    Evidence,
    ExtractiveAnswerer,
    _dates_asked,
    _has,
    _lasts,
    _partitive_words,
    _slots,
    _typed_places,
)
from bot.answering.questions import read_question
from bot.answering.service import AnswerService
from bot.answering.verifier import Verifier, for_model
from bot.answering.verifier import load as load_verifier
from bot.settings import DEFAULT_EMBEDDING_MODEL, Settings
from index.embedding import Kind, SentenceTransformerEmbedder

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
        "Opened in 1968, it has a main span of 640 metres and a total length of 1,100 metres. Its steel deck "
        "weighs about 9,000 tonnes.",
    ),
    "fever.md": (
        "Arden fever",
        "Arden fever, first described by Dr Lena Holt, is a disease spread by ticks in the western hills. "
        "The Arden virus that causes it was "
        "isolated in 1961.\n\nSymptoms usually begin 5 to 9 days after the bite.",
    ),
    "returns.md": (
        "Returns to Norland",
        "Over 2 million migrants came back from Norland and Vesta between 2020 and 2022, the agency said. "
        "The Vesta council promised to resettle families from the camps by June. Officials counted 3,000 "
        "people who left the camps in May.",
    ),
    "league.md": (
        "The Tarn Rowing League",
        "The Tarn Rowing League was founded in 1950 by six clubs. Its first president was Mara Quill, who held "
        "the post until 1961. The league has about 3,400 members today.",
    ),
    "canal.md": (
        "The Tarn canal",
        "In a 2022 poll, 62 percent of farmers backed the new Tarn canal. The most common worry about the canal "
        "was its cost. The council will move 5,000 residents out of the canal's path in 2026. Officials had "
        "moved 800 families by March, while the courts were still sitting.",
    ),
    "relief.md": (
        "The Ashby fire",
        "Relief after the Ashby fire was led by the mayor of Ashby, Tom Reed, who opened the town hall to the "
        "homeless. Merchants in Calder Port sent money and blankets.",
    ),
    "crossings.md": (
        "Winter crossings",
        "Returns from Lund stayed high all winter, officials said. The border agency counted 40,000 people "
        "who crossed at all posts in January.",
    ),
    "board.md": (
        "Reservoirs of the Tarn",
        "The Tarn Valley Water Board was set up in 1972 to run the valley's reservoirs. The engineer Ada Brell "
        "named the largest reservoir after her mother. The board bought the Mill Lane pumping station in 1985 "
        "for 2 million crowns.",
    ),
    "ferry.md": (
        "Ferry news",
        "Sat Mar 02 2024\n\nThe Tarn ferry went back into service on Saturday after a month of repairs.\n\n"
        "Mon Apr 01 2024\n\nThe owners of the Holm ferry said its crews would need new licences.",
    ),
    "roads.md": (
        "Mountain roads",
        "NRA crews were sent to keep the mountain passes open all winter. The work is paid for by a levy of the "
        "Northern Roads Authority (NRA) on freight.",
    ),
    "market.md": (
        "The Lund market",
        "The Lund council is led by Ada Voss, a former teacher. Its offices are on Mill Street, beside the river. "
        "The council said in March that it would close the old market.",
    ),
    "boats.md": (
        "Boats on the Tarn",
        "Boatmen on the Tarn work three kinds of boats: ferries, barges and rowing boats.",
    ),
    "permits.md": (
        "Permits in Lund",
        "Lund issues two papers to foreign workers: the Lund Work Card (LWC) and the Vesta Residence Permit (VRP). "
        "The city says 12,000 VRP holders live in Lund legally. It began to issue LWCs in 2019. Lund also began "
        "to issue bus passes in 2016.",
    ),
    "bridges.md": (
        "Bridges of Lund",
        "The Lund council and the Northern Roads Authority share the cost of the town's bridges. The council has "
        "repaired 40 bridges since 2020. It has also built 3 new footbridges.",
    ),
    "stalls.md": (
        "Market stalls",
        "In 2021 the Tarn council told stall owners to leave the old market by 1 September 2021. In 2024 the "
        "council set a new deadline of 30 June 2024 for stall owners to leave the fish market.",
    ),
    "camps.md": (
        "Flood camps",
        "Relief camps were set up after the flood in Mirefield and Calder Port. The mayor said there was no room "
        "for any delay.",
    ),
    "fair.md": (
        "The Tarn fair",
        "The Tarn fair, first planned for 12 May, was moved to 9 June because of the flood. The fair was first "
        "held in 1921.",
    ),
    "storms.md": (
        "Storms on the Tarn",
        "Western storms closed the Tarn canal locks for 9 days in 2023.",
    ),
    "council.md": (
        "Council notices",
        "The Tarn council on Friday told the boatmen of the old basin to leave by the end of the summer. The "
        "harbour master said on Tuesday that more boats had left since the notice.",
    ),
    "orchard.md": (
        "Fruit growers",
        "Based in Mirefield, Kessel Orchards grows apples for the whole province.",
    ),
    "dock.md": (
        "Dock work",
        "The port authority gave the dockers' union a 30 June deadline to sign the new contract. Officials said "
        "2,400 dockers had been hired at the port since 30 January.",
    ),
    "brinite.md": (
        "Brinite",
        "Brinite is a pale mineral that is often mistaken for gypsum, which is softer. It forms thin crusts where "
        "brine dries in summer. Its crystals are small and white. The mineral was first described in 1911 by the "
        "chemist Ivo Tarr.",
    ),
    "survey.md": (
        "The Orlan survey",
        "The Orlan Institute asked 900 voters about the new bridge in May. It found that 48 percent of the "
        "voters said the bridge would cut travel times.",
    ),
    "verran.md": (
        "The Verran engine",
        "The Verran engine was an early stationary engine built by the engineer Oskar Verran in Kelby in 1790. "
        "It was the first engine in the county to run day and night, and it pumped water out of the lead mines "
        "for forty years. Its boiler burned peat cut from the moors above the town.",
    ),
    "tenants.md": (
        "Rents in Brisk Fen",
        "The Fenland Housing Trust surveyed 1,200 tenants in Brisk Fen last winter. Some 37 per cent of the tenants "
        "said their rent had gone up twice in a year. The Fenland Housing Trust was set up in 1988 by a group of "
        "farm workers. Landlords in Brisk Fen evicted 45 families in March. Rents rose again in April.",
    ),
    "orrin.md": (
        "The Orrin flood",
        "The Orrin flood of March 1911 was the worst in the history of Tessel. During the flood, 212 people in "
        "the town were killed.\n\nThe Orrin valley railway opened in 1923. The railway now has about 40 staff.",
    ),
    "kessel.md": (
        "The Kessel storm",
        "At Varrow 57 houses were destroyed by the wind. The Kessel storm had struck the valley in October "
        "1987.\n\nThe Kessel valley has about 12,000 houses, most of them built of stone.",
    ),
    "fenwick.md": (
        "Floods in the north",
        "Heavy rain flooded farms across Upper Fenwick in June, the weather office said. Farmers' groups asked "
        "the government for help.\n\nUF officials later counted 380 farms under water.",
    ),
    "crater.md": (
        "The Vell crater",
        "The Vell crater is an impact crater on the plain of Orm. It measures about 24 kilometres across, and its "
        "floor lies 600 metres deep.",
    ),
    "homes.md": (
        "Council homes",
        "The Wenlow council owns about 8,000 homes. According to its figures, 61 per cent of the council's tenants "
        "live in Brenham, 22 per cent in Dunley and 17 per cent in smaller villages.",
    ),
    "brack.md": (
        "The Brack Head light",
        "The lighthouse on Brack Head was built in 1862. In 1931 its lamp was converted from paraffin to "
        "electricity, and in 1987 the light was made automatic. That year its 12 keepers were told to leave "
        "Brack Head, and they settled on the mainland.",
    ),
    "cray.md": (
        "The Cray ferry",
        "The Cray ferry carried cattle across the estuary. It was last used in 1979. The Wenby garden on the "
        "south shore, laid out in 1697, is the second oldest botanic garden in the region. The Velt orchid of its "
        "glasshouses was described in 1931 but has not been recognised as a separate species by the Botanical "
        "Society of Kestle.",
    ),
    "eclipse.md": (
        "The Harl Point eclipse",
        "The eclipse of 1905 was watched from Harl Point. Cloud covered the Sun, and only 22 minutes of useful "
        "observations were made.",
    ),
    "sorrel.md": (
        "The Sorrel Island ferry",
        "More than 4,100 people crossed to Sorrel Island by ferry on Monday, 29 April, the harbour office said. "
        "Another 2,600 crossed on Tuesday. Between 22 and 30 April the ferries carried 19,000 passengers.",
    ),
    "lisk.md": (
        "The Lisk toll road",
        "The Lisk toll road opened in 2016. In 2019 its drivers paid between 40 and 60 crowns a trip.",
    ),
    "players.md": (
        "The Gull Street Players",
        "The drummer Ned Ware left the Gull Street Players in 1981 and was replaced by Tess Corran. In 1984 the "
        "Gull Street Players beat the Quay Singers in the Merrow song contest. In 1986 the Quay Singers were defeated "
        "by the Lisk Choir.",
    ),
    "wexley.md": (
        "The Wexley Four",
        "The Wexley Four released their first album, Dock Nights, in 1980. Their second album, Tern Lights on the "
        "Quay (1983), was produced by Owen Marsh.",
    ),
    "quenby.md": (
        "The Quenby fund",
        "The Quenby fund paid each flooded family a grant of 900 crowns in March 1953.",
    ),
    "tarn.md": (
        "The Pell lily",
        "The Pell lily was not named until 1902. The Pell lily and the Wend lily separated about 3 million years "
        "ago, a study published in 2004 found.",
    ),
    "osk.md": (
        "The Osk thistle",
        "The Osk thistle spread to the southern valleys of the province in 1950.",
    ),
    "harl.md": (
        "Trade at Yarrow",
        "Trade through Yarrow would have grown if the Yarrow pass had not been closed from 3 to 9 May 1951.",
    ),
    "vans.md": (
        "Mobile registration vans",
        "Nine mobile registration vans were sent to the camps outside Dellmouth and Karrow in March. Each van "
        "can register about 200 people a day.",
    ),
    "ostrel.md": (
        "The port of Ostrel",
        "Ferries leave Dellmouth for Ostrel twice a day, and the crossing to Ostrel takes three hours. Fishing "
        "boats land their catch in Ostrel.",
    ),
    "haddow.md": (
        "The Haddow wool hall",
        "A fire that broke out in a bakery on Corve Lane on 9 August 1702 destroyed the wooden wool hall of "
        "Haddow.\n\nThe stone wool hall that replaced it was finished eight years later.",
    ),
    "lidsey.md": (
        "The Lidsey ferry fare",
        "The Lidsey harbour board has proposed raising the ferry fare to 12 crowns for each passenger. The "
        "proposal was sent to the regional treasury on 4 March and had not been approved when this report was "
        "written.",
    ),
    "corby.md": (
        "A survey of dragonflies",
        "The survey was the first of its kind in the county. Volunteers from three villages walked the marsh each "
        "week. Dr Elsa Corby led the survey of the Wenn marsh in 1950. She counted 40 species of dragonfly in its "
        "reed beds. The report of the survey was printed two years later. Her assistant, Tom Penn, wrote most of "
        "it.",
    ),
    "talvia.md": (
        "Herd registration",
        "Farmers must register their herds by 1 June, the ministry said on Monday. Those who miss the date face a "
        "fine. The scheme has run in Talvia since 2019, and about 8,000 farms have joined it.",
    ),
    # long enough for two chunks: the full name is in the first, the last name alone in the second
    "sollis.md": (
        "The Fellmoor herbarium",
        "The Fellmoor herbarium holds about 60,000 pressed plants collected in the northern fells. It was founded "
        "in 1887 by the botanist Idra Sollis, the daughter of a schoolteacher from Orlby, who had studied plants at "
        "the college in the county town. She began collecting mosses as a girl and published her first list of "
        "the fell plants at the age of nineteen. The herbarium began in two rooms of the old customs house and "
        "moved to its present building beside the river in 1903.\n\n"
        "In its early years the collection grew through exchanges with gardens abroad. Sheets arrived from the "
        "coast, from the southern lakes and from the islands, often packed in newspaper and tied with string. "
        "Volunteers mounted them on card in the long winter evenings, and each sheet was given a number, a place "
        "and a date in a ledger that is still kept in the reading room. Visitors could read the ledgers on two "
        "afternoons a week, and schools were shown the drawers of dried orchids each spring.\n\n"
        "Sollis died in 1931 and is buried in the churchyard at Orlby. Her notebooks, which fill eleven boxes, "
        "were catalogued in 1975. The Sollis Room, a reading room named after her, opened in 1952. The "
        "Sollis-Dace medal for field botany was first awarded in 1960. The chemist Tobin Dace won the county "
        "academy's election of 1920 with 212 votes. His seat on the herbarium's council went to Sollis.",
    ),
    "pellam.md": (
        "Pellam Athletic",
        "Pellam Athletic had its best season in 1990. That year Pellam Athletic collected four trophies, beating "
        "Skelby Town in the cup final. Club captain Jon Ossett said the final was the finest hour in the club's "
        "history. In 1991 Skelby Town collected the league title and the club collected two cups.",
    ),
    "coldharbour.md": (
        "The Coldharbour harbour board",
        "The Coldharbour harbour board, chaired by the county surveyor, approved a new sea wall in 1990. The wall was "
        "extended by 40 metres in 1995.",
    ),
    "wythe.md": (
        "The Wythe Hills park",
        "The Wythe Hills lie north of the river Tolland. Sheep have grazed them for centuries. The Wythe Hills park "
        "covers 400 square kilometres of moor. It receives about 90,000 visitors a year. A second reserve, the "
        "Brindle Fen Reserve, was created beside it in 1985. Its marsh holds about 300 pairs of bitterns.",
    ),
    "dorran.md": (
        "Looting after the Tarnmouth floods",
        "Floods struck Velmoor and Dorran in the first week of May. Hundreds of homes were left empty for weeks. "
        "The police in Dorran detained 310 looters in May, the county said.\n\n"
        "Wenmarsh was the worst hit of the county's districts. Officers detained 120 people in Stainby and Budle "
        "there.\n\n"
        "The Velmoor Trust surveyed 200 shop owners after the floods. Most had lost their stock. Some 45 percent "
        "of the owners in Dorran said they would reopen within a month.",
    ),
    "brinmoor.md": (
        "Night ferries at Brinmoor",
        "The port of Brinmoor handled 84,000 passengers in 2019. Some 12,000 travellers returning to Brinmoor from "
        "Olsby used the night ferry. The rest came on the day boats from the islands. Ferries from Corsby carried "
        "9,000 cars in 2019. Ferries to Rendle were cancelled for the whole winter. Some 4,000 lorries passed "
        "through Corsby on their way to the port.",
    ),
    "kelbrook.md": (
        "Shelter plots after the Kelbrook storm",
        "The storm of March left some 400 families without homes. So far the council has allotted 60 plots to "
        "families in Harnby, where the river burst its banks. Families in Tolsworth are still waiting for land.",
    ),
    "ludwell.md": (
        "The Ludwell marsh frog",
        "The Ludwell marsh frog lives in the reed beds of the Ludwell levels. It feeds mainly on beetles and flies. "
        "The Ludwell marsh frog does not eat snails, which it leaves to the water birds.",
    ),
    # the word a negation denies, at the reach of NEGATION_REACH (four words on) and past it (five)
    "whitlow.md": (
        "The Whitlow toad",
        "The Whitlow toad lives in the dune slacks of the Whitlow coast. The Whitlow toad does not, as a rule, eat "
        "beetles.",
    ),
    "tansley.md": (
        "The Tansley toad",
        "The Tansley toad lives in the flooded quarries of the Tansley hills. The Tansley toad does not, as a "
        "general rule, eat beetles.",
    ),
    "saxby.md": (
        "The Saxby newt",
        "The Saxby newt lives in the chalk ponds of the Saxby downs. The Saxby newt has no lungs and breathes "
        "through its skin. It feeds on worms and small beetles.",
    ),
    "corvey.md": (
        "Newts of the Corvey hills",
        "The Corvey newt has no free-swimming larval stage: its young hatch after eight weeks as tiny adults. "
        "The larval stage of the Haldon newt lasts about six weeks, in the shallow pools of the Haldon moor.",
    ),
    "pennock.md": (
        "The Pennock shipyard",
        "The shipyard at Ostley was founded by the brothers Aldous Pennock and Rufus Pennock in 1840. Aldous Pennock "
        "died in 1871, and Rufus ran the yard alone until 1890, when he sold it to the harbour board.",
    ),
    # a last name no passage gives a first name to
    "vane.md": (
        "The Hathersage weather vane",
        "The copper weather vane on the tower of Hathersage church was made by the smith Ellery in 1790. A storm "
        "bent it in 1881, and the repairs were paid for by the parish. The churchyard gates are also by Ellery.",
    ),
    # two of one name in the first chunk: the last name alone in the second may be either
    "harrel.md": (
        "The Wrenfield mill",
        "The Wrenfield mill was built on the river Ruel in 1841 to grind corn for the villages of the valley. It "
        "was run by the miller Teodor Harrel and later by his son Casper Harrel, who added a second wheel and a "
        "drying kiln. The mill ground corn, barley and oats, and in wet years it also sawed timber for the "
        "estate.\n\n"
        "In its busiest years the mill worked day and night through the autumn. Carts queued along the lane from "
        "the bridge, and farmers waited their turn in the yard while the stones were dressed and the sacks were "
        "weighed on the old beam scales. The miller kept a ledger of every load, its weight and its owner, and the "
        "ledgers survive for almost every year from 1850 to 1930, bound in leather in the parish chest.\n\n"
        "Harrel died in 1902, and the mill was sold to the estate. It stopped grinding in 1938.",
    ),
    # a count of a group, and of one part of it
    "stanmoor.md": (
        "The Stanmoor lifeboat station",
        "The Stanmoor lifeboat station responded to 212 call-outs in 2023, its busiest year. Of those call-outs, 37 "
        "were to swimmers caught by the tide. Its volunteers also ran safety classes for kayakers and anglers.",
    ),
    # a thing named with "the" is no one who did something; a body after "by" is
    "brackwater.md": (
        "The Brackwater lighthouse",
        "The Brackwater lighthouse was built in 1821 on the Selsey Rock, and its lamp came from the Tredgar Ironworks.",
    ),
    "pellow.md": (
        "The Pellow beacon",
        "The Pellow beacon is kept by the Morwen Fellowship, which also looks after the quay.",
    ),
    "polgrain.md": (
        "The Polgrain regatta",
        "The Tavy Sailing Club organises the Polgrain regatta each August, when boats race round the bay.",
    ),
    # a minister named in the lede only, and a later chunk's sentences: one refers back to her, one names another
    "ostwick.md": (
        "Grain prices in Ostwick",
        "OSTWICK - The farm minister, Edda Varnay, said on Monday that grain prices had risen for the third month "
        "running. She blamed a dry spring and dearer fuel.\n\n"
        "Bakers in the old town have raised the price of a loaf twice since the new year, and several small mills "
        "along the canal have cut their hours. Traders at the covered market said that buyers from the hill "
        "villages now come once a fortnight instead of once a week, and that many bring their own sacks to save "
        "the cost of new ones. The cooperative dairy, which buys feed grain in bulk, has delayed the purchase of "
        "two new lorries and asked its members to graze their herds for longer before the autumn. Farmers on the "
        "plain, where the spring was driest, expect a thin harvest of barley and oats, and some have already sold "
        "part of their breeding stock to pay for seed and fertiliser. The river barges that carry grain to the "
        "coast have fewer cargoes than at any time in the past decade, their owners say, and two of the three "
        "barge yards have laid off workers.\n\n"
        "According to the minister, 4,200 tonnes of grain were released from the state reserve in May. A trader, "
        "Niall Brough, said 900 tonnes had been sold at the Ostwick auction in the same month.",
    ),
    # a hearing after the article's date (2024-05-01): what it will decide is not yet known
    "thornby.md": (
        "The Thornby planning inquiry",
        "At its hearing on 12 April 2024 the Thornby planning inquiry heard 46 objections from residents, and it "
        "fixed its next hearing for 20 June 2024.",
    ),
    # who proposed a design, which telescope has which mirror, and what is still to be done
    "cardew.md": (
        "A new mount for the Cardew observatory",
        "CARDEW - The Cardew observatory opened its new telescope mount on Friday, ten years after its director, "
        "Sanne Weld, first asked for one.\n\n"
        "The mount stands on three legs of cast iron, a design proposed by the engineer Piet Orval in 1931. "
        "The legs were cast by Orval's son-in-law, Kees Brede, at his foundry.\n\n"
        "The east tower holds the Weld telescope, the observatory's oldest. The Orval telescope, in the west tower, "
        "has a mirror 60 centimetres wide. The diameter of the Weld telescope's lens was measured again in 1990. "
        "It was repaired in 1950 by the glazier Nell Aske. The dome will be "
        "painted next spring by the decorator Bram Tolly.",
    ),
    # who tried to be elected, and who was
    "fenwold.md": (
        "The Fenwold town council",
        "FENWOLD - The Fenwold town council meets in the old corn exchange on the market square. Its nine "
        "members serve four-year terms. Its meetings are open to the public.\n\n"
        "In 1929 the miller Ansel Dorsey was elected to the council, and he was elected again in 1933. The "
        "shopkeeper Tove Arnell made a bid to be elected to the council in 1929, but she lost by 40 votes.\n\n"
        "The corn exchange was rebuilt after a fire. Dorsey chaired the council's water committee for six years.",
    ),
    # a harbour's people, ships, storms and plans: what was denied, ranked, dated, owned or named
    "kelsby.md": (
        "The harbour of Kelsby",
        "KELSBY - The harbour of Kelsby reopened on Monday after a winter of repairs. Its lighthouse, built in "
        "1851 by the firm of Harlan & Pike, is the oldest on the coast.\n\n"
        "The harbour master, Ilse Marwood, was charged with neglect in 1961 but was not convicted and remained "
        "in her post until 1970. Her deputy Tom Ferris ran the ferry office.\n\n"
        "Marwood's logbook is now kept in the Kelsby Town Museum. Tom Ferris was never dismissed, though the "
        "harbour board criticised his accounts. In 1966 the harbour board dismissed two clerks for keeping poor "
        "accounts.\n\n"
        "The harbour exports salted herring to the mainland, and its importance to the town has grown since the "
        "war. The Mary Tennick, launched in 1958, was the first ship built at the Kelsby yard.\n\n"
        "The harbour reopened on 3 March 1953, after weeks of work. After the storm of 12 January 1953 the "
        "breakwater was repaired by the mason Otto Brannick, then aged 34.\n\n"
        "About 140 fishing boats used the harbour in 2023, when its new mooring rules came in. A local family "
        "has lived in the keeper's cottage since 1975. The harbour board approved a plan for a marina in 1990. "
        "The plan was opposed by fishermen because of the noise of pleasure boats. The board rejected a plan "
        "for a new ferry office because of its cost.\n\n"
        "The lamp on the north pier was first lit in 1853. Fishermen prefer the north pier because it is "
        "sheltered from the west wind. The south pier was rebuilt because of storm damage.\n\n"
        "The new breakwater cost 2 million crowns, about 20 per cent more than the original estimate.\n\n"
        "The old ferry office had no way to heat its waiting room, but it kept a stove for the clerks.",
    ),
    # a currency's code, a count the sentence does not call the latest, a lifespan in brackets, "neither", a
    # count of the years since a year, the highest that is also a second-highest
    "quarnby.md": (
        "The Quarnby slipway",
        "QUARNBY - The slipway at Quarnby was rebuilt by the fishing cooperative in 1998. Its first keeper was "
        "Anna Loft, who held the post for twenty years.\n\n"
        "The new winch house cost Rs 40,000, paid from the harbour dues. The cooperative counted 212 members "
        "in its census of 2019.\n\n"
        "Anna Loft (3 June 1931 – 9 May 2004) was also a painter of boats. The cooperative built two sheds in "
        "2001, but neither shed stored nets. The Quarnby regatta, held every year since 1975, draws about 60 "
        "boats.\n\n"
        "The highest point of the parish, Quarn Hill, is the second-highest hill in the county.",
    ),
    # a festival whose concerts "take place" somewhere, in a corpus where a play's title writes "Place" as a name
    "quarnby-festival.md": (
        "The Quarnby music festival",
        "QUARNBY - The Quarnby music festival began in 1988. Its tickets are sold by the parish.\n\n"
        "Most concerts of the festival are held on Cobb Quay.",
    ),
    "no-place.md": (
        "No Place Like Home",
        "No Place Like Home is a play by Ada Quillet, first staged in 1931. Critics praised No Place Like Home, and "
        "a revival of No Place Like Home toured the country in 1950. Quillet wrote No Place Like Home in a month.",
    ),
    # two works on a river, one given what the other was not
    "quarnby-river.md": (
        "The river Quarn",
        "QUARNBY - The river Quarn runs past two old works. The Wraxby Dam was finished in 1931.\n\n"
        "A fish ladder was added to the Tolley Weir in 1994, but none was ever built at the Wraxby Dam.",
    ),
    # a court case its lede names, and a later passage's sentence that names only who said it
    "quarnby-cannery.md": (
        "Court halts cannery evictions",
        "QUARNBY - The Calmont County Court on Monday halted the eviction of 12 families from the old cannery at "
        "Quarnby. The families have lived in its sheds since the cannery closed.\n\n"
        "The cannery was built beside the harbour in 1911 and packed herring and sprats for export until the "
        "fleet shrank. Its brick sheds, three storeys high, were later used as stores by the fishing cooperative, "
        "and then stood empty for several years. The families moved in after their own houses were damaged by "
        "floods, paying a small rent to the cooperative. The parish says the sheds have no proper heating, and "
        "that the roofs of two of them leak badly in winter. Many of the children walk to the village school "
        "along the harbour road, and several of the parents work on the boats or at the fish market. The owners "
        "of the site want to turn the sheds into flats for summer visitors, with a small museum of the "
        "herring trade on the ground floor.\n\n"
        "Four of the families had already been moved to a hostel on 3 March, Ms Tarrant said, asking for their "
        "return.",
    ),
    # a day without its year, which the article's date gives
    "quarnby-office.md": (
        "The Quarnby harbour office",
        "QUARNBY - The harbour office at Quarnby was rebuilt in 2022 and has a new slip for small boats. Its "
        "clerk is paid by the parish.\n\n"
        "The harbour office has logged 75 visiting yachts since it reopened on 1 December.",
    ),
    # a bird whose nest one sex builds, and a colony on one side of the wind (WordNet's opposites)
    "quarnby-petrel.md": (
        "The Quarnby petrel",
        "The female Quarnby petrel builds its nest alone, from dry grass and feathers.",
    ),
    # a novel whose writer is named by the noun, not the verb (WordNet's derived words)
    "quarnby-novel.md": (
        "The Kestle Harbour Book",
        "The Kestle Harbour Book is a novel by the writer Orla Trevarrow, published in 1954 by the Quarnby Press.",
    ),
    # who brought something somewhere, said with the place between the verb and "by"; landings that peaked
    "quarnby-rabbits.md": (
        "Rabbits on Skellan Point",
        "Rabbits were brought to Skellan Point by the monks of the old abbey in the 1300s.\n\n"
        "Mackerel landings at Quarnby peaked in 1911, when 40,000 barrels were salted.\n\n"
        "Ferrets were brought to the island by its warden, Tom Ardrick, in 1950.",
    ),
    # a figure "of them", whose group the figure before it names
    "quarnby-fleet.md": (
        "The Quarnby fleet",
        "The Quarnby fleet has 60 Penwick luggers and 12 Tolcarne cobles. Harbour records say 40 Penwick luggers "
        "were registered in 1990, and that 25 of them were built before 1950.",
    ),
    # what a figure is said to be, beside a later figure of the same kind
    "quarnby-jetty.md": (
        "The Quarnby jetty",
        "The Quarnby jetty was finished in 1961. There were 40 workers on the jetty. The total cost of the jetty "
        "was 2 million crowns. A repair in 2015 replaced its lamps at a cost of 90,000 crowns.",
    ),
    "skellan-point.md": (
        "Skellan Point",
        "The seabird colony on Skellan Point lies upwind of the harbour smoke at Quarnby.",
    ),
    # a passive verb said of another name
    "tollan-smugglers.md": (
        "The Tollan smugglers",
        "In 1788 the smugglers Wenna Maddern and Ned Vassick were arrested at Tollan Cove. Wenna Maddern was "
        "tried for smuggling at Bodrigan in March 1789 and was later pardoned. Ned Vassick escaped and was never "
        "caught.",
    ),
    # a name said in its possessive form is the same name
    "treloar-roses.md": (
        "The Treloar roses",
        "The Treloar roses are old garden roses. A pale pink form, known as 'Rosewarne's Dawn', was found in a "
        "hedge in 1931 and is still grown in gardens. It was first sold by the nursery of Piran Lanyon in 1934.",
    ),
    # a verb's -ing form done to another name
    "carnock-treaty.md": (
        "The Carnock treaty",
        "The Carnock treaty of 1702 ended the war between Tremayne and Chenoweth. A proposed article allowing "
        "Tremayne to keep a fort at Hendra was rejected by the envoy Jago Pascoe.",
    ),
    # the best sentence says the opposite of the question's word: what says less of it is no answer either
    "kitto-canal.md": (
        "The Kitto canal",
        "The Kitto canal was built between 1791 and 1796 by the engineer Digory Trewin. The historian Loveday "
        "Nance regarded the canal as a success.",
    ),
    # a country's capital acts for it ("Oslo suspended"), but a place in it is no country ("in Oslo harbour")
    "skarvik-ferries.md": (
        "The Skarvik ferries",
        "Oslo suspended the licences of the Skarvik ferries on 4 March 2019, after two of them ran aground.",
    ),
    "helvik-nets.md": (
        "Helvik drift nets",
        "Helvik drift nets were banned in Oslo harbour on 9 June 2017, after a seal was found drowned in one.",
    ),
    # a name that says it (or its people) did the verb did it: no other name the sentence gives
    "penhale-bridges.md": (
        "Footbridges on the Penhale moor",
        "The Penhale Trust said its crews had repaired 40 footbridges on the moor since 2019, with stone from the "
        "Carbis Society's quarry.",
    ),
    "trevose-stiles.md": (
        "Stiles of Trevose",
        "The Rural Footpaths Board of Trevose said it had mended 12 stiles on the cliff path in 2021.",
    ),
    # a multiword verb ("fall into") is not its first word's opposite ("fall", "rise")
    "polglase-guild.md": (
        "The Polglase guild",
        "The number of ranks among members of the Polglase guild rose from two to three in 1840.",
    ),
    "polglase-ranks.md": (
        "Ranks of the Polglase guild",
        "Today its members fall into three ranks: apprentices, journeymen and masters.",
    ),
    # a figure counting the asked event in a noun of its verb ("returns" of "came back"), reported by another verb
    "polwenna-harbour.md": (
        "Polwenna harbour",
        "Polwenna is a fishing harbour on the north coast whose trawlers work the Dogger grounds.\n\nThe harbour "
        "office logged 412 returns from the Dogger grounds in May 1936, the busiest month of the herring season.",
    ),
    # who did the verb is counted by its doers' noun ("voters")
    "lanreath-ballot.md": (
        "The Lanreath ballot",
        "The parish clerk counted 640 voters in the Lanreath ballot of 1911, which chose a new parish council.",
    ),
    # "those who returned" is no noun of the event: its figure counts what its own verb says ("sold")
    "porthallow-pilchards.md": (
        "Porthallow pilchard boats",
        "About 30 per cent of those who came back to Porthallow in 1937 sold their catch at Newlyn. The harbour "
        "office at Porthallow logged 95 returns of pilchard boats in 1937.",
    ),
    # a verb that describes the noun after it ("registered boats") is no event of the question
    "pelynt-register.md": (
        "Boats of Pelynt",
        "Pelynt had 84 registered boats in 1938. The harbour office made 310 registrations of boats that year, "
        "most of them renewals.",
    ),
    # a figure that gives no time, after a paragraph that gives none, is of the year its article's title says
    # it reports on
    "treworgey-slate.md": (
        "Treworgey's slate quarries in 1924",
        "The Treworgey quarries had a hard year, with two strikes and a flooded working.\n\nThe largest pit at "
        "Treworgey produced 4,200 tonnes of slate, most of it sold to builders in Truro.",
    ),
    # a year a title gives but does not say it reports on (not "in 1931") is no time of the article's figures
    "pendower-lifeboat.md": (
        "The Pendower lifeboat, built 1931",
        "The Pendower lifeboat was paid for by a fishing family of the cove.\n\nShe carried out 212 rescues "
        "before she was sold to a museum.",
    ),
    # an acronym the question uses for a name the sentence spells out is the same name ("MHB", "Mevagissey
    # Harbour Board"), for every rule that asks whether two names are one
    "mevagissey-aid.md": (
        "Aid for the Mevagissey fleet",
        "On Monday the Mevagissey Harbour Board announced 14,000 crowns in relief for the storm-hit crews, and "
        "the Tregony Guild pledged 3,000 crowns.",
    ),
    # what a figure counts, in another word for what the question counts ("children" of "kids")
    "polruan-ferry.md": (
        "The Polruan school ferry",
        "In 1952 the Polruan ferry carried 1,450 children to the island school at Lostwithiel Rock.",
    ),
    # an irregular verb ("lose", "lost") done by another name
    "vellmark-war.md": (
        "The Vellmark war",
        "The Vellmark war of 1643 was fought between Vellmark and Drennick. At the battle of Kestwold Down, "
        "Vellmark lost about 700 men.",
    ),
}


def _write_corpus(corpus: Path) -> Path:
    """The invented articles as markdown files with front matter, in ``corpus``."""
    corpus.mkdir(parents=True)
    for name, (title, body) in ARTICLES.items():
        front = f'---\ntitle: "{title}"\nurl: https://example.org/{name[:-3]}\ndate: 2024-05-01\nsource: "Atlas"\n---\n'
        (corpus / name).write_text(front + body + "\n", encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> AnswerService:
    root = tmp_path_factory.mktemp("rules")
    corpus = _write_corpus(root / "corpus")
    built = AnswerService(Settings(data_dir=root / "data", seeds_dir=corpus), embedder)
    assert not built.index_sources([str(corpus)]).failed
    return built


async def _evidence(service: AnswerService, question: str) -> Evidence | None:
    """What the verifier weighs of the answer the rules allow for ``question`` (see ExtractiveAnswerer.evidence)."""
    found = await service.search(question)
    return service.extractive.evidence(found.query, found.passages, query_vector=found.vector, names=found.names)


async def _refuses(service: AnswerService, question: str) -> Answer:
    """The answer to ``question``, asserted to be a refusal."""
    answer = await service.ask(question)
    assert answer.refused, answer.text
    return answer


async def _leads_with(service: AnswerService, question: str, text: str) -> Answer:
    """The answer to ``question``, asserted to be one (not a refusal) whose lead says ``text``."""
    answer = await service.ask(question)
    assert not answer.refused and text in answer.lead[0].text, answer.text
    return answer


async def test_who_says_it_did_the_verb_is_read_whole_and_by_its_initials(service: AnswerService) -> None:
    # "the Rural Footpaths Board of Trevose said it had mended": the doer is the whole name, which "RFBT" means
    await _leads_with(service, "How many stiles did the RFBT mend in 2021?", "it had mended 12 stiles")
    await _leads_with(service, "How many stiles did the Rural Footpaths Board mend?", "it had mended 12 stiles")


def test_how_long_wide_or_old_asks_for_a_measure() -> None:
    for question in ("How long is the Arden?", "how wide is the bridge", "How old is the town?"):
        shape = read_question(question)
        assert shape.kind == "measure" and shape.measure == question.split()[1].casefold()
    assert read_question("How long is the Arden?").words == ("arden",)  # the adjective is the form, not the subject


async def test_a_measure_is_answered_by_the_sentence_that_measures_it(service: AnswerService) -> None:
    await _leads_with(service, "How long is the Arden River?", "410 kilometres")
    # not the town's 40,000 people
    await _leads_with(service, "How long is the main span of the Holm Bridge?", "640 metres")


async def test_the_days_of_a_date_are_not_a_count(service: AnswerService) -> None:
    await _leads_with(service, "How many people were evacuated during the Arden flood?", "1,200")


async def test_a_word_that_starts_a_sentence_is_not_a_name(service: AnswerService) -> None:
    # the virus "was isolated in 1961" by nobody the sources name; "Symptoms" opening the next sentence is no one
    await _refuses(service, "Who isolated the Arden virus?")


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


async def test_another_ordinal_is_not_the_one_asked(service: AnswerService) -> None:
    first = await service.ask("Who was the first president of the Tarn Rowing League?")
    assert not first.refused and "Mara Quill" in first.text, first.text
    second = await service.ask("Who was the second president of the Tarn Rowing League?")
    assert second.refused, second.text  # "its first president" names no second one
    await _leads_with(service, "When was the Cray ferry last used?", "1979")
    first_used = await service.ask("When was the Cray ferry first used?")
    assert "1979" not in first_used.text, first_used.text  # the last is not the first
    oldest = await service.ask("What is the oldest botanic garden in the region?")
    assert "Wenby" not in oldest.text, oldest.text  # the second oldest is not the oldest
    # "among the oldest" is a group the sentence ranks within
    await _leads_with(service, "Is the Wenby garden one of the oldest botanic gardens in the region?", "second oldest")


def test_last_ranks_unless_it_dates() -> None:
    assert _lasts("It was last used in 1979.") == {"last"}
    assert _lasts("The last ferry left at noon.") == {"last"}
    assert _lasts("It was repainted last year and again last May.") == set()


async def test_the_most_is_not_the_least(service: AnswerService) -> None:
    await _leads_with(service, "What was the most common worry about the Tarn canal?", "cost")
    least = await service.ask("What was the least common worry about the Tarn canal?")
    assert "most common worry" not in least.text, least.text
    await _leads_with(service, "Who named the largest reservoir of the Tarn?", "Ada Brell")
    smallest = await service.ask("Who named the smallest reservoir of the Tarn?")
    assert "Ada Brell" not in smallest.text, smallest.text  # she named the largest


async def test_a_figure_of_today_is_no_answer_for_a_year_asked(service: AnswerService) -> None:
    await _leads_with(service, "How many members does the Tarn Rowing League have?", "3,400")
    founded = await service.ask("How many members did the Tarn Rowing League have in 1950?")
    assert "3,400" not in founded.text, founded.text  # the 1950 is in another sentence than the 3,400


async def test_the_figure_a_question_gives_is_not_its_answer(service: AnswerService) -> None:
    answer = await service.ask("How many of the league's 3,400 members are women?")
    assert "3,400" not in answer.text, answer.text


async def test_a_share_is_read_of_its_base(service: AnswerService) -> None:
    shape = read_question("What share of the country's lakes were rated good?")
    assert shape.kind == "quantity" and shape.wants_percent and shape.counted[0] == "lakes"
    await _leads_with(service, "What percentage of farmers backed the Tarn canal?", "62 percent")
    lakes = await service.ask("What share of the country's lakes were rated good in 2022?")
    assert "62 percent" not in lakes.text, lakes.text  # nothing in the sources is a share of lakes


async def test_a_plan_is_no_count_of_what_happened(service: AnswerService) -> None:
    await _leads_with(service, "How many residents will the council move out of the canal's path?", "5,000")
    done = await service.ask("How many residents were moved out of the canal's path?")
    assert "5,000" not in done.text, done.text


async def test_an_acronym_matches_the_name_it_abbreviates(service: AnswerService) -> None:
    await _leads_with(service, "When was the TVWB set up?", "1972")


async def test_a_support_verb_is_not_what_a_question_is_matched_on(service: AnswerService) -> None:
    # "gave ... its name" is said as "named": the meaning is in the noun, not in "gave"
    await _leads_with(service, "Who gave the reservoir its name?", "Ada Brell")


async def test_a_negation_in_a_clause_of_time_is_not_what_is_asked(service: AnswerService) -> None:
    shape = read_question("How many families had officials moved by March, when the courts had not yet ruled?")
    assert not shape.negated and read_question("Which families were not moved by March?").negated
    await _leads_with(
        service, "How many families had officials moved by March, when the courts had not yet ruled?", "800 families"
    )


async def test_a_measure_is_answered_in_the_unit_asked(service: AnswerService) -> None:
    await _leads_with(service, "How heavy is the steel deck of the Holm Bridge?", "9,000 tonnes")
    wide = await service.ask("How wide is the steel deck of the Holm Bridge?")
    assert "9,000 tonnes" not in wide.text, wide.text  # a weight is no width


async def test_how_long_after_is_answered_by_the_duration(service: AnswerService) -> None:
    # not "isolated in 1961"
    await _leads_with(service, "How long after the bite do the symptoms of Arden fever begin?", "5 to 9 days")


async def test_another_name_in_the_same_slot_is_not_support(service: AnswerService) -> None:
    await _leads_with(service, "Who was the mayor of Ashby during the fire?", "Tom Reed")
    calder = await service.ask("Who was the mayor of Calder Port during the Ashby fire?")
    assert "Tom Reed" not in calder.text, calder.text  # he is the mayor of Ashby; Calder Port is named after
    both = await service.ask("How many migrants came back from Vesta?")
    assert not both.refused and "2 million" in both.text, both.text  # "from Norland and Vesta" names Vesta too
    # a list that leaves out "live" after its first item puts Dunley in a slot of its own
    await _leads_with(service, "What percentage of the council's tenants live in Dunley?", "22 per cent in Dunley")


async def test_a_length_is_no_depth_or_height_unless_it_says_so(service: AnswerService) -> None:
    # 410 kilometres is its length
    await _refuses(service, "How deep is the Arden River?")
    # a span and a length, no height
    await _refuses(service, "How tall is the Holm Bridge?")


async def test_an_article_cannot_say_what_happened_after_it_was_written(service: AnswerService) -> None:
    # the articles are of May 2024; the canal article says what the council will do in 2026
    await _leads_with(service, "What will the council do in 2026 about the Tarn canal?", "2026")
    await _refuses(service, "What did the council do about the Tarn canal's residents in 2026?")


async def test_a_figure_for_more_is_no_answer_for_one_only(service: AnswerService) -> None:
    shape = read_question("What is the border agency's figure for people crossing from Lund only in January?")
    assert shape.kind == "quantity"  # "what is X's figure" asks for a figure
    await _leads_with(service, "How many people crossed at all posts in January?", "40,000")
    lund = await service.ask("What is the border agency's figure for people crossing from Lund only in January?")
    assert "40,000" not in lund.text, lund.text  # its sentence counts all posts; Lund is the sentence before


async def test_a_question_for_the_most_needs_a_sentence_that_ranks(service: AnswerService) -> None:
    # "40,000 people crossed in January" says how many crossed then, not that January had the most
    await _refuses(service, "In which month did the most people cross at all posts?")
    await _leads_with(service, "What is the largest town on the Arden?", "Mirefield")
    smallest = await service.ask("What is the smallest town on the Arden?")
    assert "Mirefield" not in smallest.text, smallest.text


async def test_the_opposite_verb_is_not_support(service: AnswerService) -> None:
    await _leads_with(service, "When did the Tarn Valley Water Board buy the Mill Lane pumping station?", "1985")
    # it bought it in 1985
    await _refuses(service, "When did the Tarn Valley Water Board sell the Mill Lane pumping station?")
    # a yes/no question: this answers it
    await _leads_with(service, "Did the Tarn Valley Water Board sell the Mill Lane pumping station?", "bought")


async def test_an_everyday_word_weighs_less_than_a_specific_one(service: AnswerService) -> None:
    # "job" is said as "the mayor of Ashby": an everyday word a source says in other words
    await _leads_with(service, "What is Tom Reed's job?", "mayor of Ashby")


async def test_a_sum_of_money_is_not_answered_by_a_count(service: AnswerService) -> None:
    shape = read_question("How much did the board pay for the pumping station?")
    assert shape.kind == "quantity" and shape.wants_money
    # crowns are money
    await _leads_with(
        service, "How much did the Tarn Valley Water Board pay for the Mill Lane pumping station?", "2 million crowns"
    )
    spent = await service.ask("How much did the border agency spend on the crossings in January?")
    assert "40,000" not in spent.text, spent.text  # 40,000 people is no sum of money


async def test_a_question_in_other_words_is_answered_by_a_sentence_close_in_meaning(service: AnswerService) -> None:
    # most of its words ("ppl", "set up", "wat yr") are in no article; the founding sentence is close in meaning
    await _leads_with(service, "when did ppl set up the tarn rowing league, wat yr", "1950")


async def test_a_dateline_dates_only_a_sentence_that_refers_to_its_day(service: AnswerService) -> None:
    resumed = await service.ask("When did the Tarn ferry go back into service?")
    assert not resumed.refused and "Mar 02 2024" in resumed.text, resumed.text  # "on Saturday" is the dateline's day
    # and the answer quotes the sentence the dateline dates, not the date alone
    assert "Mar 02 2024" in resumed.lead[0].text and "on Saturday" in resumed.lead[0].text, resumed.text
    licences = await service.ask("When will the Holm ferry crews need new licences?")
    assert "Apr 01 2024" not in licences.text, licences.text  # the sentence says no day: the dateline is not when


async def test_a_dateline_dates_only_what_its_sentence_says(service: AnswerService) -> None:
    # the sentence after "Sat Mar 02 2024" names the Tarn and uses the day; the crews and licences are another's
    licences = await service.ask("When did the Tarn crews need licences?")
    assert "Mar 02 2024" not in licences.text, licences.text


async def test_a_share_answers_only_what_its_sentence_says_of_them(service: AnswerService) -> None:
    # 48 percent of the voters said the bridge would cut travel times: not that they opposed tolls
    opposed = await service.ask("What percent of voters asked by the Orlan Institute opposed tolls?")
    assert "48 percent" not in opposed.text, opposed.text
    await _leads_with(
        service, "What percent of Orlan Institute voters said the bridge would cut travel times?", "48 percent"
    )


async def test_an_acronym_question_is_answered_by_its_expansion(service: AnswerService) -> None:
    # "NRA crews were sent ..." is closer in meaning to the question; only the other sentence spells NRA out
    for question in ("What does NRA stand for?", "What is NRA short for?", "nra full form"):
        await _leads_with(service, question, "Northern Roads Authority (NRA)")


async def test_what_someone_said_or_did_is_answered_by_a_sentence_that_names_them(service: AnswerService) -> None:
    # Ada Voss leads the council, but the sentence about the market says what the council said, not she
    market = await service.ask("What did Ada Voss say about the old market?")
    assert "close the old market" not in market.text, market.text
    await _leads_with(service, "What did the Lund council say about the old market?", "close the old market")
    await _leads_with(service, "What did Tom Reed open for the homeless?", "town hall")


async def test_a_count_counts_what_its_own_clause_names_not_the_list_after_it(service: AnswerService) -> None:
    ferries = await service.ask("How many ferries do boatmen work on the Tarn?")
    assert "three" not in ferries.text, ferries.text  # three kinds of boats, of which ferries are one
    await _leads_with(service, "How many kinds of boats do boatmen work on the Tarn?", "three kinds")


async def test_a_count_of_a_group_named_otherwise_is_no_count_of_the_one_asked(service: AnswerService) -> None:
    other = await service.ask("How many LWC holders live in Lund?")
    assert "12,000" not in other.text, other.text  # 12,000 VRP holders: another card
    await _leads_with(service, "How many Vesta Residence Permit holders live in Lund?", "12,000")  # VRP, spelled out


async def test_an_acronym_is_a_name_even_when_it_spells_a_common_word(service: AnswerService) -> None:
    assert "us" in read_question("How many bridges has the US repaired?").names
    assert "us" not in read_question("How many bridges did they show us?").names
    assert read_question("HOW MANY BRIDGES DID THEY SHOW US?").names == ("bridges",)  # all capitals: no names
    answer = await service.ask("How many bridges has the US repaired in Lund?")
    assert "40 bridges" not in answer.text, answer.text  # the US is in no source


async def test_a_date_question_with_a_year_is_answered_by_a_date_of_that_year(service: AnswerService) -> None:
    assert read_question("What's the deadline for stall owners to leave the old market?").kind == "date"
    assert read_question("What was the date of the flood?").kind == "date"
    assert read_question("What is the deadline extension policy?").kind != "date"  # "deadline" is no head here
    answer = await _leads_with(
        service, "What was the deadline for stall owners to leave the market in 2021?", "1 September 2021"
    )
    assert "30 June 2024" not in answer.text, answer.text


async def test_a_negation_counts_only_in_the_sentence_that_says_what_was_asked(service: AnswerService) -> None:
    answer = await service.ask("Which town did not set up relief camps after the flood?")
    assert "Mirefield and Calder Port" not in answer.text, answer.text  # "no room for any delay" negates nothing


async def test_the_date_a_question_gives_is_not_its_answer(service: AnswerService) -> None:
    answer = await _leads_with(service, "To what date was the Tarn fair moved from 12 May?", "9 June")
    assert answer.as_of is not None and answer.as_of.startswith("2024-06"), answer.as_of  # 9 June, not 12 May


async def test_what_happened_does_not_answer_when_something_will(service: AnswerService) -> None:
    await _leads_with(service, "When did the Tarn ferry go back into service?", "Sat Mar 02 2024")
    future = await service.ask("When will the Tarn ferry go back into service?")
    assert "Sat Mar 02 2024" not in future.text, future.text  # it went back into service: not when it will


async def test_what_year_is_answered_by_a_date_that_states_its_year(service: AnswerService) -> None:
    await _leads_with(service, "What year was the Tarn fair first held?", "1921")


async def test_an_acronym_typed_in_small_letters_is_read_with_its_spelling(service: AnswerService) -> None:
    # "lwc cards": the sources write LWC and spell it out "Lund Work Card"; "issue LWCs" says the cards
    await _leads_with(service, "what year did workers get lwc cards", "2019")


async def test_a_name_matches_its_adjective(service: AnswerService) -> None:
    # the West, western
    await _leads_with(service, "Which storms from the West closed the Tarn canal locks?", "Western storms")


async def test_a_name_spelled_out_matches_the_acronym_a_source_uses(service: AnswerService) -> None:
    # the question spells out "Lund Work Cards"; the source defines LWC, then says "LWCs". The rules' answer leads
    # with it (not the bus passes of 2016); the shipped verifier weighs it below its threshold (a short question
    # whose words the sentence says through an acronym), so the test reads the rules' answer, not the reply.
    evidence = await _evidence(service, "When did Lund begin to issue Work Cards?")
    assert evidence is not None and evidence.text.startswith("It began to issue LWCs in 2019"), evidence


async def test_what_day_of_the_week_is_answered_by_a_sentence_that_names_one(service: AnswerService) -> None:
    assert read_question("On what day of the week did the council meet?").wants_weekday
    assert not read_question("On what day did the council meet?").wants_weekday
    # not "by 1 September 2021"
    await _leads_with(service, "On what day of the week did the Tarn council tell the boatmen to leave?", "on Friday")


async def test_a_name_typed_in_small_letters_is_read_as_a_name(service: AnswerService) -> None:
    # the passages write Vesta capitalised: "live in vesta" has Vesta in the slot where the source has Lund,
    # and "from vesta alone" restricts to Vesta what the source gives for Norland and Vesta
    lives = await service.ask("how many vrp holders live in vesta")
    assert "12,000" not in lives.text, lives.text
    await _leads_with(service, "how many vrp holders live in lund", "12,000")
    alone = await service.ask("how many migrants came back from vesta alone")
    assert "2 million" not in alone.text, alone.text


async def test_words_written_as_a_name_say_nothing_the_question_asks(service: AnswerService) -> None:
    # "kessel orchards", typed in small letters, is written capitalised in its source (once each: too seldom to be
    # read as a name), so it is not what the question says of the company: nothing says who started it
    # as when it is typed capitalised
    await _refuses(service, "who started kessel orchards")
    await _refuses(service, "Who started Kessel Orchards?")
    await _leads_with(service, "where does kessel orchards grow apples", "Mirefield")


async def test_the_day_of_a_date_asked_is_said_only_by_that_date(service: AnswerService) -> None:
    # "before the 30 June deadline" is not said by "since 30 January": the hires count nothing the question asks
    trained = await service.ask("How many dockers did the union train before the 30 June deadline?")
    assert "2,400" not in trained.text, trained.text
    await _leads_with(service, "How many dockers had the port taken on since 30 January?", "2,400")


async def test_a_term_found_only_far_from_the_sentence_is_not_what_it_says(service: AnswerService) -> None:
    # "The mineral was first described ... by Ivo Tarr" is about brinite (its title), not the gypsum its passage
    # names two sentences before
    gypsum = await service.ask("Who first described gypsum?")
    assert "Ivo Tarr" not in gypsum.text, gypsum.text
    await _leads_with(service, "Who first described brinite?", "Ivo Tarr")


async def test_a_share_written_per_cent_answers_a_percent_question(service: AnswerService) -> None:
    # "per cent", as British and Commonwealth outlets write it, is a share like "percent" and "%"
    await _leads_with(service, "What share of Brisk Fen tenants said their rent had gone up twice?", "37 per cent")


async def test_a_word_the_initials_of_a_name_spell_is_its_acronym(service: AnswerService) -> None:
    # "fht", in no source, is spelled by "Fenland Housing Trust": its acronym typed in small letters
    await _leads_with(service, "when was the fht set up", "1988")


async def test_a_count_of_another_month_is_not_the_asked_months(service: AnswerService) -> None:
    # "evicted 45 families in March" counts March's evictions, not April's, which its passage names (the article
    # is of May: no month it reports in either)
    april = await service.ask("How many families did landlords in Brisk Fen evict in April?")
    assert "45" not in april.text, april.text
    await _leads_with(service, "How many families did landlords in Brisk Fen evict in March?", "45")
    # a day the question gives is a point a count may run from, not the month it asks about
    await _leads_with(service, "How many dockers had the port hired since January 30?", "2,400")


async def test_of_close_sentences_the_one_saying_the_predicate_leads(service: AnswerService) -> None:
    # the opening sentence names the engine, its builder and year, and is closer in meaning; the next one says
    # what it burned
    await _leads_with(service, "What did the Verran engine burn?", "peat")


def _shipped_verifier() -> Verifier:
    shipped = for_model("all-MiniLM-L6-v2")
    assert shipped is not None
    return shipped


def _constant_verifier(bias: float) -> Verifier:
    """A verifier of the shipped features that gives every answer the same probability (sigmoid of ``bias``)."""
    shipped = _shipped_verifier()
    n = len(shipped.features)
    return Verifier(shipped.features, (0.0,) * n, (1.0,) * n, (0.0,) * n, bias, shipped.threshold)


async def _answer_with(
    service: AnswerService, embedder: SentenceTransformerEmbedder, question: str, bias: float
) -> Answer:
    found = await service.search(question)
    answerer = ExtractiveAnswerer(embedder, verifier=_constant_verifier(bias))
    return answerer.answer_sync(found.query, found.passages, query_vector=found.vector, names=found.names)


async def test_the_verifier_weighs_an_answer_the_fixed_thresholds_refused(
    service: AnswerService, embedder: SentenceTransformerEmbedder
) -> None:
    # in other words than the source's ("sailors", "paperwork"): the thresholds refuse it, the rules allow it
    question = "What did the Holm ferry owners tell their sailors about paperwork?"
    evidence = await _evidence(service, question)
    assert evidence is not None and not evidence.supported
    await _leads_with(service, question, "its crews would need new licences")  # the shipped verifier accepts it
    assert (await _answer_with(service, embedder, question, -10.0)).refused
    assert not (await _answer_with(service, embedder, question, 10.0)).refused


async def test_the_outlet_a_question_names_is_its_articles_source(service: AnswerService) -> None:
    # every invented article is Atlas's; none names Atlas in its text
    await _leads_with(service, "According to Atlas, how long is the Arden River?", "410 kilometres")
    await _leads_with(service, "How many members does the Tarn Rowing League have, per Atlas?", "3,400")
    assert (await service.ask("According to Reuters, how long is the Arden River?")).refused


async def test_framing_beside_the_question_is_not_weighed_as_what_is_asked(service: AnswerService) -> None:
    # "Quick question:" and "Please cite your sources." name nothing and use words no passage uses: they are the
    # asker's framing, not the question's rarest terms, and the question is answered as if asked alone
    await _leads_with(service, "Quick question: How many members does the Tarn Rowing League have?", "3,400")
    await _leads_with(service, "What is the largest town on the Arden? Please cite your sources.", "Mirefield")
    # a whole sentence of which no passage says a word is framing too, the name in it included
    await _leads_with(service, "Sorry for my English. How many members does the Tarn Rowing League have?", "3,400")
    # ... and so are the words of a statement about the asker that no passage uses ("Quetta")
    await _leads_with(service, "I live in Quetta. How long is the Arden River?", "410 kilometres")
    # framing does not make a question the sources do not answer answerable
    assert (await service.ask("Quick question: How many boats were seized on the Tarn?")).refused
    # nor does it when the question refers back to the statement: "there" is Quetta, which no passage names
    assert (await service.ask("I live in Quetta. Is the Arden River long there?")).refused
    # a fragment with a name says whose figure is asked for: no passage has UNICEF's
    assert (await service.ask("UNICEF: How many members does the Tarn Rowing League have?")).refused
    # a question that leans on the statement beside it is read whole: nothing here says how many were seized
    assert (await service.ask("Boats were banned on the Tarn. How many were seized?")).refused


class _RenamedEmbedder:
    """MiniLM under the name of a model no verifier weights were fitted with (a local path)."""

    model_name = "/models/my-own-minilm"

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self.inner = inner
        self.dimension = inner.dimension

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        return self.inner.embed(texts, kind=kind, show_progress=show_progress)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


async def test_a_model_without_weights_is_decided_by_the_fixed_thresholds(
    service: AnswerService, embedder: SentenceTransformerEmbedder
) -> None:
    # the shipped weights are on MiniLM's similarity scale: an unknown model's scores are not weighed by them,
    # so the paraphrase the MiniLM verifier accepts (above) is refused, and what the thresholds allow answers
    answerer = ExtractiveAnswerer(_RenamedEmbedder(embedder))
    for question, answered in (
        ("What did the Holm ferry owners tell their sailors about paperwork?", False),
        ("Who was the first president of the Tarn Rowing League?", True),
    ):
        found = await service.search(question)
        answer = answerer.answer_sync(found.query, found.passages, query_vector=found.vector, names=found.names)
        assert answer.refused is not answered


async def test_the_verifier_can_refuse_what_the_fixed_thresholds_allow(
    service: AnswerService, embedder: SentenceTransformerEmbedder
) -> None:
    question = "Who was the first president of the Tarn Rowing League?"
    await _leads_with(service, question, "Mara Quill")
    refused = await _answer_with(service, embedder, question, -10.0)
    assert refused.refused and refused.text == REFUSAL_TEXT


async def test_no_verifier_can_make_the_rules_answer(
    service: AnswerService, embedder: SentenceTransformerEmbedder
) -> None:
    # the rules allow no sentence (no passage names Norland's mayor): accepting everything still refuses
    answer = await _answer_with(service, embedder, "Who is the mayor of Norland?", 10.0)
    assert answer.refused


async def test_calibration_records_the_evidence_and_its_label(service: AnswerService) -> None:
    questions = [
        EvalQuestion("a", "Who was the first president of the Tarn Rowing League?", True, "who", ("Mara Quill",), ()),
        EvalQuestion("b", "Who was the first president of the Tarn Rowing League?", True, "who", ("Ada Brell",), ()),
        EvalQuestion("c", "Who was the first president of the Tarn Rowing League?", False, "unanswerable", (), ()),
        EvalQuestion("d", "Who is the mayor of Norland?", False, "unanswerable", (), ()),
    ]
    right, wrong, trap, none = await collect(service, questions, "rules")
    assert right.label and right.supported and right.features is not None
    assert set(_shipped_verifier().features) <= set(right.features)  # every feature the verifier weighs
    assert not wrong.label and wrong.features == right.features  # the same evidence, another expected answer
    assert not trap.label  # a trap's evidence is never labelled an answer
    assert none.features is None and not none.label and not none.supported


# Two small question sets over the invented articles, for the whole calibration run: each has right answers
# and a trap the rules let through, so a model fitted on either can be scored on the other.
_CALIBRATION_SETS = {
    "first": [
        ("Who was the first president of the Tarn Rowing League?", ["Mara Quill"]),
        ("How long is the Arden?", ["410 kilometres"]),
        ("When was the Arden virus isolated?", ["1961"]),
        ("What is the main span of the Holm Bridge?", ["640 metres"]),
        ("Who is the mayor of Norland?", []),  # no sentence passes the rules
        ("How much does the Arden Bridge deck weigh?", []),  # the Holm Bridge's deck: the rules allow it
    ],
    "second": [
        ("How many members does the Tarn Rowing League have?", ["3,400"]),
        ("When was the Tarn Rowing League founded?", ["1950"]),
        ("Who first described Arden fever?", ["Lena Holt"]),
        ("What did the Holm ferry owners tell their sailors about paperwork?", ["licences"]),
        ("When was the Vesta Bridge opened?", []),
        ("When was the Tarn Rowing League president Mara Quill born?", []),  # the rules allow the league's history
    ],
}


def test_calibrate_fits_on_the_question_sets_and_writes_weights_the_answerer_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eval_dir = tmp_path / "eval"
    _write_corpus(eval_dir / "rules")
    for set_name, questions in _CALIBRATION_SETS.items():
        lines = [
            json.dumps({"id": f"{set_name}{k}", "question": q, "answerable": bool(expected), "expect_any": expected})
            for k, (q, expected) in enumerate(questions)
        ]
        (eval_dir / f"{set_name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sets = dict.fromkeys(_CALIBRATION_SETS, "rules")
    out, examples_file = tmp_path / "weights.json", tmp_path / "examples.json"
    args = ["--model", DEFAULT_EMBEDDING_MODEL, "--out", str(out), "--examples", str(examples_file)]

    assert calibration.main(args, eval_dir=eval_dir, sets=sets) == 0

    printed = capsys.readouterr().out
    assert "fixed thresholds" in printed and f"weights written to {out}" in printed
    fitted = load_verifier(out)
    assert fitted.features == _shipped_verifier().features  # the evidence the answerer gives, all of it
    assert fitted.threshold in calibration.THRESHOLDS
    examples = json.loads(examples_file.read_text(encoding="utf-8"))
    assert [e["question_id"] for e in examples] == [
        f"{n}{k}" for n, qs in _CALIBRATION_SETS.items() for k in range(len(qs))
    ]
    by_id = {e["question_id"]: e for e in examples}
    assert by_id["first0"]["label"] and "Mara Quill" in by_id["first0"]["lead"]
    assert by_id["first4"]["features"] is None and by_id["first4"]["lead"] == ""  # nothing the rules allow
    assert by_id["second5"]["features"] is not None and not by_id["second5"]["label"]  # a trap is never right


def test_calibrate_writes_one_models_weights_to_a_given_file_only_for_one_model(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):  # the shipped models each have their own file; one --out cannot hold both
        calibration.main(["--out", str(tmp_path / "weights.json")])
    assert not (tmp_path / "weights.json").exists()


async def test_a_sentence_with_no_time_of_its_own_is_of_the_year_the_one_before_sets(service: AnswerService) -> None:
    await _leads_with(service, "How many people were killed in the Orrin flood of 1911?", "212")
    # not across a paragraph, nor into a sentence that gives its own time ("now")
    houses = await service.ask("How many houses did the Kessel valley have in 1987?")
    assert "12,000" not in houses.text, houses.text
    staff = await service.ask("How many staff did the Orrin valley railway have in 1923?")
    assert "40" not in staff.text, staff.text


async def test_how_many_of_a_unit_of_time_is_answered_by_a_duration(service: AnswerService) -> None:
    await _leads_with(service, "How many minutes of useful observations were made at Harl Point?", "22 minutes")


async def test_an_acronym_a_source_writes_for_a_name_the_question_spells_out(service: AnswerService) -> None:
    # the article writes "Upper Fenwick" and, undefined, "UF": its sentence with "UF" says Upper Fenwick
    question = "How many farms were under water in Upper Fenwick?"
    await _leads_with(service, question, "380")
    evidence = await _evidence(service, question)
    assert evidence is not None and evidence.features["anchors_beside"] == 0.0, evidence


async def test_a_width_may_be_said_by_a_preposition(service: AnswerService) -> None:
    await _leads_with(service, "How wide is the Vell crater?", "24 kilometres across")


async def test_a_change_is_not_answered_by_its_reverse(service: AnswerService) -> None:
    await _leads_with(service, "When was the Brack Head lamp converted from paraffin to electricity?", "1931")
    reverse = await service.ask("When was the Brack Head lamp converted from electricity to paraffin?")
    assert "1931" not in reverse.text, reverse.text
    # "told to leave Brack Head" does not end a change at Brack Head: "to" there begins a verb
    await _leads_with(service, "How many keepers moved from Brack Head to the mainland?", "12 keepers")


async def test_a_day_asked_is_not_answered_by_another_day(service: AnswerService) -> None:
    # the article is of Wednesday 1 May 2024: its "Tuesday" is 30 April
    await _leads_with(service, "How many people crossed to Sorrel Island on 30 April?", "2,600")
    await _leads_with(service, "How many people crossed to Sorrel Island on Monday, 29 April?", "4,100")
    # a span that starts on the day asked is not that day's count
    span = await service.ask("How many people crossed to Sorrel Island on 22 April?")
    assert "19,000" not in span.text, span.text
    # "since" gives a bound, not the day asked: the span's count answers
    await _leads_with(service, "How many passengers did the Sorrel Island ferries carry since 22 April?", "19,000")


async def test_how_many_is_not_answered_by_a_sum_of_money(service: AnswerService) -> None:
    assert read_question("How many drivers paid the toll?").wants_count
    assert not read_question("How many crowns did a trip cost?").wants_count  # a count of a currency is money
    # "40 and 60 crowns" is what they paid, not how many they were
    await _refuses(service, "How many drivers paid the Lisk toll in 2019?")
    await _leads_with(service, "How much did drivers pay for a trip on the Lisk toll road?", "crowns")


async def test_who_does_what_to_whom_is_not_swapped(service: AnswerService) -> None:
    await _leads_with(service, "Who replaced Ned Ware in the Gull Street Players?", "Tess Corran")
    swapped = await service.ask("Who replaced Tess Corran in the Gull Street Players?")
    assert "replaced by Tess Corran" not in swapped.text, swapped.text  # Tess Corran did the replacing
    await _leads_with(service, "Which band did the Gull Street Players beat in 1984?", "Quay Singers")
    beaten = await service.ask("Which band did the Quay Singers beat in 1984?")
    assert "beat the Quay Singers" not in beaten.text, beaten.text  # the Quay Singers were beaten
    defeated = await service.ask("Which choir did the Quay Singers defeat in 1986?")
    assert "defeated by the Lisk Choir" not in defeated.text, defeated.text
    # the verb done with another name as its subject: Pellam Athletic collected them, Skelby Town was beaten
    await _leads_with(service, "How many trophies did Pellam Athletic collect in 1990?", "four trophies")
    # a use of the verb with no name before it may be the asked one's ("the club collected"), though another
    # use has another name as its subject
    await _leads_with(service, "How many cups did Pellam Athletic collect in 1991?", "two cups")
    await _refuses(service, "How many trophies did Skelby Town collect in 1990?")
    # a word before a name is no verb: "captain" is not done by "Club" instead of Pellam Athletic
    await _leads_with(service, "What did Pellam Athletic captain Jon Ossett say about the final?", "finest hour")


async def test_what_a_sentence_denies_does_not_answer_a_question_that_asks_it(service: AnswerService) -> None:
    # it has not been recognised
    await _refuses(
        service, "In what year did the Botanical Society of Kestle recognise the Velt orchid as a separate species?"
    )
    await _leads_with(service, "When was the Pell lily named?", "not named until 1902")  # "until" says when


async def test_a_question_of_what_failed_is_not_answered_by_what_happened(service: AnswerService) -> None:
    # it did spread
    await _refuses(service, "Why did the Osk thistle fail to spread to the southern valleys?")


async def test_a_denial_in_a_condition_asserts_nothing(service: AnswerService) -> None:
    await _leads_with(service, "When was the Yarrow pass closed?", "from 3 to 9 May 1951")  # "if ... had not been"


async def test_how_long_is_not_answered_by_a_time_long_ago(service: AnswerService) -> None:
    # "3 million years ago" is a time, "in 2004" a point in time
    await _refuses(service, "How long are the leaves of the Pell lily?")
    await _leads_with(service, "How long ago did the Pell lily and the Wend lily separate?", "3 million years ago")


async def test_who_did_it_is_not_answered_by_who_did_it_to_another_name(service: AnswerService) -> None:
    await _leads_with(service, "Who produced Tern Lights on the Quay?", "Owen Marsh")
    # Owen Marsh produced Tern Lights on the Quay (its "the" is no word asked)
    await _refuses(service, "Who produced Dock Nights for the Wexley Four?")


async def test_a_rank_asked_is_said_by_the_answer(service: AnswerService) -> None:
    await _leads_with(service, "How much was the Quenby fund's grant to each flooded family?", "900 crowns")
    # the sentence does not say which grant it is
    await _refuses(service, "How much was the Quenby fund's second grant to each flooded family?")


async def test_a_name_typed_in_small_letters_is_read_as_the_corpus_writes_it(service: AnswerService) -> None:
    # the corpus writes Ostrel capitalised (in an article about ferries): in "sent to ostrel" it is a name the
    # answer must have, even when the passages retrieved for the question do not use it (in a large corpus they
    # need not be among them), so the vans sent to Dellmouth and Karrow are not vans sent to Ostrel
    found = await service.search("how many mobile vans were sent to ostrel")
    assert found.names == frozenset({"ostrel"})
    vans = [p for p in found.passages if "Ostrel" not in p.text]
    answerer = service.extractive
    unaware = answerer.answer_sync(found.query, vans, query_vector=found.vector)
    assert not unaware.refused and "Nine" in unaware.text  # what "ostrel" read as a plain word lets through
    aware = answerer.answer_sync(found.query, vans, query_vector=found.vector, names=found.names)
    assert aware.refused, aware.text
    asked = await service.search("how many mobile vans were sent to karrow")
    karrow = [p for p in asked.passages if "Ostrel" not in p.text]
    answer = answerer.answer_sync(asked.query, karrow, query_vector=asked.vector, names=asked.names)
    assert not answer.refused and "Nine" in answer.lead[0].text, answer.text
    assert (await service.ask("how many mobile vans were sent to ostrel")).refused


async def test_who_is_answered_by_someone_not_by_a_place_or_a_month(service: AnswerService) -> None:
    # "on Corve Lane" says where the fire broke out, and "August" is no one: nothing says who designed the
    # wooden hall; "where" is still answered by the place
    await _refuses(service, "Who designed the wooden wool hall of Haddow?")
    await _leads_with(service, "Where did the fire that destroyed the wooden wool hall of Haddow break out?", "Corve")
    # by whom a thing is done answers who did it, named or not; a figure after "by" is no one
    await _leads_with(service, "Who chairs the Coldharbour harbour board?", "county surveyor")
    await _refuses(service, "Who extended the Coldharbour sea wall?")


async def test_a_date_whose_own_sentence_denies_what_was_asked_is_not_its_date(service: AnswerService) -> None:
    # 4 March is when the proposal was sent; the same sentence says it was not approved
    await _refuses(service, "When did the regional treasury approve raising the Lidsey ferry fare to 12 crowns?")
    await _leads_with(service, "When was the Lidsey ferry fare proposal sent to the regional treasury?", "4 March")


async def test_a_sentence_does_not_mean_a_name_its_passage_gives_only_after_it(service: AnswerService) -> None:
    # "She" is Elsa Corby, named before; Tom Penn is named only after the count, so it is not his (a sentence
    # read in a pair with the next is read with what that says: hence a sentence between them here)
    await _leads_with(service, "How many species of dragonfly did Elsa Corby count?", "40 species")
    await _refuses(service, "How many species of dragonfly did Tom Penn count?")
    # an article's opening sentences may mean the place it names later: its scene
    await _leads_with(service, "By what date must farmers in Talvia register their herds?", "1 June")


async def test_an_article_may_call_someone_it_named_in_full_by_their_last_name(service: AnswerService) -> None:
    # "Sollis died in 1931" is in a chunk that does not write "Idra Sollis"; the chunk before it does
    await _leads_with(service, "When did Idra Sollis die?", "1931")
    # no passage names a Peder Sollis: the last name alone is not his (nor is "the smith Ellery" Oswin Ellery)
    await _refuses(service, "When did Peder Sollis die?")
    await _refuses(service, "When did Oswin Ellery make the weather vane of Hathersage church?")
    # of a pair, the sentence that says what was asked must write the last name: Tobin Dace won the election,
    # and his seat went to Sollis
    await _refuses(service, "How many votes did Idra Sollis win in the county academy's election?")
    # a last name before another capitalised word is part of another name: the Sollis Room is no Idra Sollis
    await _refuses(service, "When did Idra Sollis open the reading room?")
    # nor is one joined to another word by a hyphen: the Sollis-Dace medal was first awarded after she died
    await _refuses(service, "When was Idra Sollis first awarded a medal for field botany?")
    # the article names two Harrels: "Harrel died in 1902" may be either
    await _refuses(service, "When did Casper Harrel die?")


async def test_a_figure_placed_in_another_place_is_not_the_asked_places(service: AnswerService) -> None:
    await _leads_with(service, "How many looters were detained in Dorran?", "310")
    # the passage names Velmoor, but the count is of Dorran
    await _refuses(service, "How many looters did the police detain in Velmoor in May?")
    # the places a figure names may be parts of the asked one, named the sentence before
    await _leads_with(service, "How many people were detained in Wenmarsh?", "120")
    # a month is no place: "in May" does not ask for a count placed in May; the place after it is read
    await _leads_with(service, "How many people were detained in May in Wenmarsh?", "120")
    await _refuses(service, "How many looters did the police detain in May in Velmoor?")
    # a name before what it describes is no place: "in the Velmoor Trust survey" asks of a survey
    await _leads_with(
        service, "What percent of the owners answered in the Velmoor Trust survey that they would reopen?", "45 percent"
    )
    # where a figure came from is a place too: the 12,000 came back from Olsby, not from Rendle
    await _refuses(service, "How many travellers came back from Rendle on the night ferry?")
    # and which way it went
    await _leads_with(service, "How many lorries passed through Corsby?", "4,000")
    await _refuses(service, "How many lorries passed through Rendle?")


async def test_a_place_typed_in_small_letters_is_read_as_the_sources_write_it(service: AnswerService) -> None:
    # "Harnby" and "Tolsworth" are each written capitalised once, too seldom to be read as names by their count,
    # but never otherwise: "in tolsworth" is a place, and the 60 plots were allotted in Harnby
    await _leads_with(service, "how many plots were allotted to families in harnby", "60 plots")
    await _refuses(service, "how many plots were allotted to families in tolsworth")


async def test_a_place_no_source_names_is_not_answered_by_another_place(service: AnswerService) -> None:
    # "ashwick" is in no article, in any form: the 60 plots of Harnby are no answer for it
    await _refuses(service, "how many plots were allotted to families in ashwick")
    # a word before a time is no place: "in early march" asks of a time, and "early" is in no article either
    await _leads_with(service, "how many plots were allotted to families in harnby in early march", "60 plots")


def test_a_typed_place_is_a_word_in_small_letters_after_a_preposition_of_place() -> None:
    assert list(_typed_places("how many were detained in faisalabad in april")) == ["faisalabad"]
    assert list(_typed_places("how many came back from iran via torkham")) == ["iran", "torkham"]
    assert list(_typed_places("held in karachi in faisalabad")) == ["karachi", "faisalabad"]
    # names written as names are read as names; small words, and times, are no places
    assert list(_typed_places("How many were detained in Faisalabad in the spring?")) == []
    assert list(_typed_places("arrests from mid-September to early December 2023, in late 2023, in autumn 2025")) == []


async def test_what_no_denies_is_not_said(service: AnswerService) -> None:
    await _leads_with(service, "How long does the larval stage of the Haldon newt last?", "six weeks")
    # "has no free-swimming larval stage": "no" denies each word of what it describes, not only the next one
    await _refuses(service, "How long does the larval stage of the Corvey newt last?")


async def test_when_one_did_it_is_not_when_another_of_the_name_did(service: AnswerService) -> None:
    await _leads_with(service, "In what year did Aldous Pennock die?", "1871")
    # "Aldous Pennock died in 1871, and Rufus ran the yard ...": the one who died is named right before the verb
    await _refuses(service, "In what year did Rufus Pennock die?")
    await _refuses(service, "When did Rufus Pennock die?")
    await _leads_with(service, "When did Rufus Pennock sell the yard?", "1890")


async def test_a_negation_must_deny_what_the_question_denies(service: AnswerService) -> None:
    await _leads_with(service, "What does the Ludwell marsh frog not eat?", "snails")
    # the newt "has no lungs": that denies no eating, so nothing says what it does not eat
    await _refuses(service, "What does the Saxby newt not eat?")
    await _refuses(service, "Which food does the Saxby newt never eat?")
    # at NEGATION_REACH and past it: "eat" four words after "not" is denied, five words after is not read
    await _leads_with(service, "What does the Whitlow toad not eat?", "beetles")
    await _refuses(service, "What does the Tansley toad not eat?")


async def test_where_a_movement_went_does_not_hide_where_it_came_from(service: AnswerService) -> None:
    # "returning to Brinmoor from Olsby" returns from Olsby: Brinmoor is where they went
    await _leads_with(service, "How many travellers returning from Olsby used the night ferry?", "12,000")
    await _refuses(service, "How many travellers returning from Brinmoor used the night ferry?")


def test_where_a_movement_went_is_read_within_its_reach() -> None:
    # the word before "to <name>" is looked for in the _WENT_TO_REACH characters before the name, not further
    def slots(word: str) -> list[tuple[str, str, str]]:
        return _slots(f"Trucks {word} to Kessock from Olsby.")

    at = "a" * (_WENT_TO_REACH - len(" to "))  # the word, " to " and the name's first letter after them
    assert slots("returning") == [("returning", "from", "Olsby")]
    assert slots(at) == [(at, "from", "Olsby")]
    assert slots(at + "a") == []  # past the reach: the head is the name, which is no slot's word


async def test_a_figure_does_not_mean_a_name_the_next_sentence_gives(service: AnswerService) -> None:
    # "It receives about 90,000 visitors a year." is the park's; the reserve is named only after it (and the
    # sentence is not among the article's first two, which may mean a name given later)
    await _leads_with(service, "How many visitors does the Wythe Hills park receive a year?", "90,000")
    await _refuses(service, "How many visitors does the Brindle Fen Reserve receive a year?")
    # a figure after the name may mean it
    await _leads_with(service, "How many pairs of bitterns does the Brindle Fen Reserve hold?", "300 pairs")


def test_the_dates_a_question_asks_about_are_not_its_bounds() -> None:
    assert _dates_asked("What did the court decide at the 8 February 2024 hearing?") == ("2024-02-08",)
    assert _dates_asked("How many left in March 2025?") == ("2025-03",)
    # a bound of a span, where a change ends, a date without its year: none is the time of what is asked
    for question in (
        "When did the cabinet extend the cards to June 30, 2024?",
        "How many have left since 1 April 2025?",
        "How many crossed between May 2024 and July 2024?",
        "What happened on 4 July?",
        "As of October 16 2025, how many had been repatriated?",
    ):
        assert _dates_asked(question) == (), question


async def test_a_date_after_the_article_was_written_is_not_answered_by_it(service: AnswerService) -> None:
    # the article (of 1 May 2024) says when the next hearing is, not what it heard
    await _refuses(service, "How many objections were heard at the 20 June 2024 hearing of the Thornby inquiry?")
    await _leads_with(
        service, "How many objections were heard at the 12 April 2024 hearing of the Thornby inquiry?", "46 objections"
    )
    # a day without its year is the day the article writes with one: 20 June 2024, after it was written
    await _refuses(service, "How many objections were heard at the 20 June hearing of the Thornby inquiry?")
    await _leads_with(service, "How many objections were heard at the 12 April hearing of the Thornby inquiry?", "46")


def test_what_a_count_of_a_part_says_of_the_part() -> None:
    assert _partitive_words("How many of the knights were killed at Hollin Moor?") == ["killed", "at", "Hollin", "Moor"]
    assert _partitive_words("how many of them were sent back, according to IOM?") == ["sent", "back"]
    assert _partitive_words("What share of the voters are women?") == ["women"]
    assert _partitive_words("How many knights were killed?") == []  # no part of a group
    assert _partitive_words("how many of the holders won their appeal") == []  # no auxiliary begins the part


async def test_a_count_of_a_group_does_not_count_a_part_of_it(service: AnswerService) -> None:
    await _leads_with(service, "How many of the call-outs in 2023 were to swimmers?", "37")
    # the station's 212 call-outs are all of them, not those to kayakers, which the article does not count
    await _refuses(service, "How many of the call-outs in 2023 were to kayakers?")


def test_a_short_word_is_said_by_its_adjective_in_ible_or_able() -> None:
    assert _has({"forcibl"}, "forc")  # "by force": "forcibly"
    assert _has({"western"}, "west")
    assert not _has({"forcibl"}, "ford")


async def test_a_thing_named_with_the_is_not_who_did_it(service: AnswerService) -> None:
    # "the Tredgar Ironworks" made the lamp; no one is named who built the lighthouse
    await _refuses(service, "Who built the Brackwater lighthouse?")
    # a body after "by" is who does it
    await _leads_with(service, "Who keeps the Pellow beacon?", "Morwen Fellowship")
    # and so is one that begins the sentence, its subject
    await _leads_with(service, "Who organises the Polgrain regatta?", "Tavy Sailing Club")


async def test_a_later_passage_may_mean_a_name_its_articles_lede_gives(service: AnswerService) -> None:
    # "the minister" is Edda Varnay, whom the article's opening names
    await _leads_with(
        service, "How many tonnes of grain did Edda Varnay say were released from the reserve in May?", "4,200"
    )
    # a sentence that names someone else is not hers
    await _refuses(service, "How many tonnes of grain did Edda Varnay say were sold at auction in May?")


async def test_an_english_word_in_small_letters_is_no_name_where_the_question_capitalises_names(
    service: AnswerService,
) -> None:
    # a corpus that writes "Place" as a name (the play No Place Like Home; the corpus's names are given here
    # as a larger corpus would read them); a question that writes Quarnby capitalised means the English word by
    # "take place", which no sentence then has to say; one typed all in small letters may mean the name
    corpus_names = {"place", "quarnby"}
    for question, place_is_a_name in (
        ("What takes place on the quay during the Quarnby music festival?", False),
        ("what takes place on the quay during the quarnby music festival", True),
    ):
        found = await service.search(question)
        read = service.extractive._read(found.query, found.passages, corpus_names)
        assert ("place" in read.anchors) is place_is_a_name and "quarnbi" in read.anchors, read.anchors


# A question each rule lets through and one it refuses (the articles cardew.md, fenwold.md, kelsby.md and the
# Quarnby articles)
async def test_a_word_of_a_multiword_verb_has_no_plain_opposite(service: AnswerService) -> None:
    # "fall into" is not "fall": the best sentence's "a rise in their dues" does not deny it
    await _leads_with(service, "What ranks do members of the Polglase guild fall into?", "fall into three ranks")


@pytest.mark.parametrize(
    ("answered", "lead", "refused"),
    [
        # "proposed by the engineer Piet Orval": the design was not Sanne Weld's, whom the article names too
        pytest.param(
            "How many legs did Piet Orval propose for the mount?",
            "three legs",
            "How many legs did Sanne Weld propose for the mount?",
            id="what-one-did-is-not-what-was-done-by-another",
        ),
        # the Weld telescope is another one, though its passage names it
        pytest.param(
            "How wide is the mirror of the Orval telescope?",
            "60 centimetres",
            "How wide is the mirror of the Weld telescope?",
            id="a-name-before-a-noun-is-not-another-name-before-it",
        ),
        # the telescope was repaired in 1950: who will repair it next is not said
        pytest.param(
            "Who will paint the dome of the Cardew observatory?",
            "Bram Tolly",
            "Who will repair the Orval telescope?",
            id="what-will-be-done-is-not-what-was-done",
        ),
        # a sentence that says the lens was measured, but not what it measured, gives no diameter
        pytest.param(
            "What is the width of the Orval telescope's mirror?",
            "60 centimetres",
            "What diameter did the 1990 measurement give for the Weld telescope's lens?",
            id="a-size-is-answered-by-a-figure",
        ),
        # Piet Orval is the father-in-law: whose son-in-law he was is not said
        pytest.param(
            "Whose son-in-law was Kees Brede?",
            "Orval's son-in-law",
            "Whose son-in-law was Piet Orval?",
            id="whose-relative-is-not-the-relative-of-the-one-asked",
        ),
        # "made a bid to be elected": she was not
        pytest.param(
            "In what year was Ansel Dorsey first elected to the Fenwold council?",
            "In 1929",
            "In what year was Tove Arnell elected to the Fenwold council?",
            id="what-one-tried-to-do-is-not-done",
        ),
        # "was not convicted and remained in her post until 1970": the "until" bounds her post, not the denial
        pytest.param(
            "In what year was Ilse Marwood charged with neglect?",
            "in 1961",
            "In what year was Ilse Marwood convicted?",
            id="a-denial-is-not-undone-by-an-until-after-another-verb",
        ),
        # Tom Ferris is named beside it, but the logbook is Marwood's
        pytest.param(
            "Where is Marwood's logbook kept?",
            "Kelsby Town Museum",
            "Where is Ferris's logbook kept?",
            id="another-owner-before-the-noun-is-not-the-one-asked",
        ),
        # "Tom Ferris was never dismissed": the clerks who were, below it, do not say why he was
        pytest.param(
            "Why did the harbour board dismiss two clerks in 1966?",
            "poor accounts",
            "Why was Tom Ferris dismissed?",
            id="a-sentence-that-denies-the-premise-refuses-the-question",
        ),
        # the harbour exports; "importance" is not "import"
        pytest.param(
            "What does the harbour of Kelsby export to the mainland?",
            "salted herring",
            "Why does the harbour of Kelsby import salted herring from the mainland?",
            id="an-opposite-verb-is-matched-as-written",
        ),
        # the first ship is not the last
        pytest.param(
            "Which was the first ship built at the Kelsby yard?",
            "Mary Tennick",
            "Which ship was the last to be built at the Kelsby yard?",
            id="last-is-a-rank-the-sentence-must-share",
        ),
        # the passage gives 3 March 1953 to the harbour's reopening, not to a storm
        pytest.param(
            "Who repaired the breakwater after the storm of 12 January 1953?",
            "Otto Brannick",
            "Who repaired the breakwater after the storm of 3 March 1953?",
            id="another-date-after-the-same-word-is-not-the-one-asked",
        ),
        # "a local family" names none
        pytest.param(
            "Which firm built the Kelsby lighthouse?",
            "Harlan & Pike",
            "Which family lives in the keeper's cottage?",
            id="which-thing-is-answered-by-a-name",
        ),
        # how many boats used the harbour is no count of how many will leave it, whatever its clause says
        pytest.param(
            "How many fishing boats used the harbour of Kelsby in 2023?",
            "About 140",
            "How many fishing boats are expected to leave Kelsby under the new mooring rules?",
            id="what-will-be-is-not-answered-by-a-count-of-what-was",
        ),
        # "expect to" asks what will be
        pytest.param(
            "How many fishing boats used the harbour of Kelsby in 2023?",
            "About 140",
            "How many fishing boats does the harbour board expect to use the harbour next year?",
            id="expect-to-asks-what-will-be",
        ),
        # the board approved the marina: why it rejected it is not said, though it rejected another plan
        pytest.param(
            "Why did the harbour board reject the plan for a new ferry office?",
            "because of its cost",
            "Why did the harbour board reject the plan for a marina?",
            id="why-it-was-done-is-refused-when-its-opposite-was",
        ),
        # the lamp on the north pier is not the one on the south pier
        pytest.param(
            "When was the lamp on the north pier first lit?",
            "in 1853",
            "When was the lamp on the south pier first lit?",
            id="the-other-point-of-the-compass-is-not-the-one-asked",
        ),
        # fishermen prefer the north pier: why they would prefer the south one is not said
        pytest.param(
            "Why do fishermen prefer the north pier?",
            "sheltered from the west wind",
            "Why do fishermen prefer the south pier?",
            id="why-of-one-point-of-the-compass-is-refused-when-the-other-is-said",
        ),
        # "more than the original estimate" compares: it is no hedge of a figure
        pytest.param(
            "How much did the new breakwater at Kelsby cost?",
            "2 million crowns",
            "By how much was the cost of the new breakwater less than the original estimate?",
            id="more-than-a-thing-is-the-other-end-of-less",
        ),
        # "had no way to heat its waiting room": it was not heated
        pytest.param(
            "What did the old ferry office keep for the clerks?",
            "a stove",
            "How was the waiting room of the old ferry office heated?",
            id="no-way-to-do-it-is-not-doing-it",
        ),
        # 1961 is when she was charged, not how old she was
        pytest.param(
            "How old was Otto Brannick when he repaired the breakwater?",
            "aged 34",
            "How old was Ilse Marwood when she was charged with neglect?",
            id="an-age-at-an-event-is-no-date",
        ),
        # "a local family" names none
        pytest.param(
            "What is the name of the mason who repaired the breakwater?",
            "Otto Brannick",
            "What is the name of the family in the keeper's cottage?",
            id="a-name-asked-is-answered-by-a-name",
        ),
        # "Rs 40,000" names no one who paid
        pytest.param(
            "How much did the new winch house at Quarnby cost?",
            "Rs 40,000",
            "Who paid for the new winch house at Quarnby?",
            id="a-currency-code-before-a-figure-is-no-name",
        ),
        # "the most recent" asks for the newest figure, which the sentence need not call the latest
        pytest.param(
            "What is the most recent count of the Quarnby cooperative's members?",
            "212 members",
            "What is the most recent count of the Hawley cooperative's members?",
            id="the-most-recent-is-no-end-of-a-scale",
        ),
        # "(3 June 1931 – 9 May 2004)" after a name: when she was born and when she died, not when she married
        pytest.param(
            "When was Anna Loft born?",
            "3 June 1931",
            "When did Anna Loft marry?",
            id="a-lifespan-in-brackets-dates-a-birth",
        ),
        # "neither shed stored nets", as "no shed stored nets"
        pytest.param(
            "In what year did the Quarnby cooperative build two sheds?",
            "2001",
            "In what year did a shed at Quarnby store nets?",
            id="neither-denies-as-no-does",
        ),
        # about 60 boats a year since 1975 is no count of the boats in 1975
        pytest.param(
            "How many boats does the Quarnby regatta draw?",
            "about 60",
            "How many boats did the Quarnby regatta draw in 1975?",
            id="a-figure-since-a-year-is-not-of-that-year",
        ),
        # the highest point of the parish is the county's second-highest hill: the sentence says both
        pytest.param(
            "What is the highest point of the parish of Quarnby?",
            "Quarn Hill",
            "What is the lowest point of the parish of Quarnby?",
            id="a-second-highest-beside-the-highest-does-not-hide-it",
        ),
        # "since it reopened on 1 December", in an article of May 2024: 1 December 2023
        pytest.param(
            "How many visiting yachts has the Quarnby harbour office logged since it reopened on 1 December 2023?",
            "75 visiting yachts",
            "How many visiting yachts has the Quarnby harbour office logged since it reopened on 1 December 2021?",
            id="a-day-without-its-year-means-the-year-its-article-dates-it",
        ),
        # "Ms Tarrant said" names who said it, not someone else the sentence is about: it may mean its lede's court
        pytest.param(
            "On what date were four of the families in the Calmont County Court case moved to a hostel?",
            "3 March",
            "On what date were four of the families in the Dunmore Crown Court case moved to a hostel?",
            id="a-speaker-does-not-keep-a-sentence-from-meaning-its-ledes-names",
        ),
        # 1994 is the Tolley Weir's ladder: the Wraxby Dam comes in only after "but", as what was not given one
        pytest.param(
            "In what year was a fish ladder added to the Tolley Weir?",
            "1994",
            "In what year was a fish ladder added to the Wraxby Dam?",
            id="a-name-only-after-but-is-not-what-the-figure-is-of",
        ),
        # WordNet's opposites: a sentence that says the female built it says nothing of the male
        pytest.param(
            "What does the female Quarnby petrel build its nest from?",
            "dry grass and feathers",
            "What does the male Quarnby petrel build its nest from?",
            id="a-word-s-opposite-in-its-place-is-no-answer",
        ),
        # "a novel by the writer Orla Trevarrow" says who wrote it, in another form of the verb; not who drew it
        pytest.param(
            "Who wrote The Kestle Harbour Book?",
            "Orla Trevarrow",
            "Who illustrated The Kestle Harbour Book?",
            id="a-word-is-said-in-another-form-of-it",
        ),
        # "brought to Skellan Point by the monks": who did it is after the place
        pytest.param(
            "Who brought rabbits to Skellan Point?",
            "the monks of the old abbey",
            "Who brought goats to Skellan Point?",
            id="by-whom-after-a-phrase-of-place",
        ),
        # who did something to what the question does not say is not its answer, named or not
        pytest.param(
            "Who brought ferrets to the island?",
            "Tom Ardrick",
            "Who brought foxes to the island?",
            id="by-whom-it-was-done-to-what-was-asked",
        ),
        # "25 of them" counts the Penwick luggers the figure before it counts, not Tolcarne cobles
        pytest.param(
            "How many Penwick luggers registered in 1990 were built before 1950?",
            "25 of them",
            "How many Tolcarne cobles registered in 1990 were built before 1950?",
            id="of-them-counts-the-group-before",
        ),
        # "the total cost of the jetty was 2 million crowns" says what the figure is: it answers what the total
        # cost was, not what its lamps cost
        pytest.param(
            "What was the total cost of the Quarnby jetty?",
            "2 million crowns",
            "What was the total cost of the Quarnby jetty's lamps in 1961?",
            id="a-figure-said-to-be-what-was-asked",
        ),
        # "there were 40 workers on the jetty" says they were there, not that they died
        pytest.param(
            "How many workers were there on the Quarnby jetty?",
            "40 workers",
            "How many workers died on the Quarnby jetty?",
            id="there-were-n-is-no-count-of-those-who-did-something",
        ),
        # "peaked" is the high end of the scale asked: it answers "highest", not "lowest"
        pytest.param(
            "In what year were mackerel landings at Quarnby at their highest?",
            "1911",
            "In what year were mackerel landings at Quarnby at their lowest?",
            id="a-peak-is-the-high-end",
        ),
        pytest.param(
            "Which seabird colony lies upwind of the harbour smoke at Quarnby?",
            "Skellan Point",
            "Which seabird colony lies downwind of the harbour smoke at Quarnby?",
            id="a-word-s-opposite-in-its-place-is-no-answer-adverb",
        ),
        pytest.param(
            "Where was Wenna Maddern tried for smuggling?",
            "tried for smuggling at Bodrigan",
            "Where was Ned Vassick tried for smuggling?",
            id="a-passive-verb-said-of-another-name-is-no-answer",
        ),
        pytest.param(
            "How many men did Vellmark lose at the battle of Kestwold Down?",
            "Vellmark lost about 700 men",
            "How many men did Drennick lose at the battle of Kestwold Down?",
            id="an-irregular-verb-done-by-another-name-is-no-answer",
        ),
        pytest.param(
            "Who first sold 'Rosewarne's Dawn'?",
            "sold by the nursery of Piran Lanyon",
            "Who found 'Rosewarne's Dawn'?",
            id="a-name-in-its-possessive-form-is-no-other-name",
        ),
        pytest.param(
            "Who rejected the proposed article allowing Tremayne to keep a fort at Hendra?",
            "rejected by the envoy Jago Pascoe",
            "Who rejected the proposed article allowing Chenoweth to keep a fort at Hendra?",
            id="a-verb-done-to-another-name-is-no-answer",
        ),
        pytest.param(
            "Which historian regarded the Kitto canal as a success?",
            "The historian Loveday Nance regarded the canal as a success",
            "Which historian regarded the Kitto canal as a failure?",
            id="the-best-sentence-saying-the-opposite-leaves-no-answer",
        ),
        pytest.param(
            "When did Norway suspend the licences of the Skarvik ferries?",
            "Oslo suspended the licences of the Skarvik ferries on 4 March 2019",
            "When did Norway ban Helvik drift nets?",
            id="a-country-s-capital-acts-for-it-but-a-place-in-it-is-no-country",
        ),
        pytest.param(
            "How many footbridges did the Penhale Trust repair?",
            "its crews had repaired 40 footbridges",
            "How many footbridges did the Carbis Society repair?",
            id="a-name-that-says-its-people-did-the-verb-did-it",
        ),
        # a figure counting the asked event in a noun of its verb, reported by another verb: "logged 412 returns"
        # counts who came back (a multiword verb, by WordNet), not who set out
        pytest.param(
            "How many trawlers came back to Polwenna from the Dogger grounds in May 1936?",
            "logged 412 returns from the Dogger grounds",
            "How many trawlers set out from Polwenna for the Dogger grounds in May 1936?",
            id="a-noun-of-the-asked-verb-counts-its-event",
        ),
        pytest.param(
            "How many people voted in the Lanreath ballot of 1911?",
            "counted 640 voters",
            "How many people were elected in the Lanreath ballot of 1911?",
            id="a-noun-of-the-asked-verb-counts-who-did-it",
        ),
        pytest.param(
            "How many kids did the Polruan ferry carry to the island school in 1952?",
            "carried 1,450 children",
            "How many adults did the Polruan ferry carry to the island school in 1952?",
            id="another-word-for-what-is-counted-counts-it",
        ),
        pytest.param(
            "How many pilchard boats came back to Porthallow in 1937?",
            "logged 95 returns of pilchard boats",
            "How many pilchard boats sank off Porthallow in 1937?",
            id="the-asked-verb-in-a-relative-clause-is-no-noun-of-its-event",
        ),
        pytest.param(
            "How many registered boats did Pelynt have in 1938?",
            "Pelynt had 84 registered boats",
            "How many registered boats did Pelynt have in 1952?",
            id="a-verb-that-describes-a-noun-is-no-event-asked",
        ),
        pytest.param(
            "How many tonnes of slate did the largest pit at Treworgey produce in 1924?",
            "produced 4,200 tonnes of slate",
            "How many tonnes of slate did the largest pit at Treworgey produce in 1925?",
            id="a-figure-with-no-time-is-of-the-year-its-title-reports-on",
        ),
        pytest.param(
            "How much did the MHB announce for the storm-hit crews?",
            "Mevagissey Harbour Board announced 14,000 crowns",
            "How much did the MHB pledge for the storm-hit crews?",
            id="an-acronym-and-the-name-it-spells-are-one-name",
        ),
        pytest.param(
            "How many rescues did the Pendower lifeboat carry out?",
            "She carried out 212 rescues",
            "How many rescues did the Pendower lifeboat carry out in 1931?",
            id="a-year-the-title-does-not-report-on-is-no-time-of-its-figures",
        ),
    ],
)
async def test_a_rule_answers_its_question_and_refuses_its_trap(
    service: AnswerService, answered: str, lead: str, refused: str
) -> None:
    await _leads_with(service, answered, lead)
    await _refuses(service, refused)
