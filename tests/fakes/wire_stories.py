# ruff: noqa: E501  (article texts: one paragraph a line)
"""Labelled wire-story pairs for choosing the dedup thresholds, and article texts for the feed tests
(written for the tests, not taken from seeds/ or tests/eval/)."""

BORDER = """Pakistani authorities reopened the Chaman border crossing with Afghanistan on Wednesday after a closure of nine days, officials said, allowing stranded trucks and families to cross.

A spokesman for the provincial home department said 1,840 people crossed into Afghanistan in the first six hours after the gates opened at 8 am. Most of them were families who had been waiting in makeshift camps near the frontier town.

The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured. Traders in Chaman said the closure had cost them heavily, with more than 600 trucks carrying fruit and cement stuck on the highway.

"We lost fresh produce worth millions of rupees," said Haji Abdul Wali, a member of the local chamber of commerce. "Every day the gate stays closed, the drivers sleep in their cabins and the fruit rots."

Afghan officials in Spin Boldak confirmed the reopening and said customs clearance would run around the clock until the backlog was cleared.

The United Nations refugee agency said it had set up a temporary reception point on the Afghan side to register returning families and provide them with cash assistance and hygiene kits."""

BORDER_APP = """QUETTA, Nov 12 (APP): Pakistani authorities reopened the Chaman border crossing with Afghanistan on Wednesday after a closure of nine days, officials said, allowing stranded trucks and families to cross.

A spokesman for the provincial home department said 1,840 people crossed into Afghanistan in the first six hours after the gates opened at 8 am. Most of them were families who had been waiting in makeshift camps near the frontier town.

The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured. Traders in Chaman said the closure had cost them heavily, with more than 600 trucks carrying fruit and cement stuck on the highway.

"We lost fresh produce worth millions of rupees," said Haji Abdul Wali, a member of the local chamber of commerce. "Every day the gate stays closed, the drivers sleep in their cabins and the fruit rots."

Afghan officials in Spin Boldak confirmed the reopening and said customs clearance would run around the clock until the backlog was cleared.

(With inputs from PTI)"""

BORDER_EDITED = """Pakistan reopened the Chaman border crossing with Afghanistan on Wednesday after a nine-day closure, officials said, allowing stranded trucks and families to cross.

A spokesman for the provincial home department said 1,840 people crossed into Afghanistan in the first six hours after the gates opened at 8 am. Most were families who had been waiting in makeshift camps near the frontier town.

The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured. Traders in Chaman said the closure had cost them heavily, with more than 600 trucks carrying fruit and cement stuck on the highway.

Also read: Torkham trade resumes after talks

"We lost fresh produce worth millions of rupees," said Haji Abdul Wali, a member of the local chamber of commerce.

Afghan officials in Spin Boldak confirmed the reopening and said customs clearance would run around the clock until the backlog was cleared.

The UN refugee agency said it had set up a temporary reception point on the Afghan side to register returning families and provide them with cash assistance and hygiene kits."""

BORDER_SHORT = """Pakistani authorities reopened the Chaman border crossing with Afghanistan on Wednesday after a closure of nine days, officials said, allowing stranded trucks and families to cross.

A spokesman for the provincial home department said 1,840 people crossed into Afghanistan in the first six hours after the gates opened at 8 am. Most of them were families who had been waiting in makeshift camps near the frontier town.

The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured. Traders in Chaman said the closure had cost them heavily, with more than 600 trucks carrying fruit and cement stuck on the highway."""

BORDER_UPDATED = """Pakistani authorities reopened the Chaman border crossing with Afghanistan on Wednesday after a closure of nine days, officials said, allowing stranded trucks and families to cross.

A spokesman for the provincial home department said 4,210 people crossed into Afghanistan by nightfall after the gates opened at 8 am. Most of them were families who had been waiting in makeshift camps near the frontier town.

The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured. Traders in Chaman said the closure had cost them heavily, with more than 600 trucks carrying fruit and cement stuck on the highway.

"We lost fresh produce worth millions of rupees," said Haji Abdul Wali, a member of the local chamber of commerce. "Every day the gate stays closed, the drivers sleep in their cabins and the fruit rots."

Afghan officials in Spin Boldak confirmed the reopening and said customs clearance would run around the clock until the backlog was cleared.

The United Nations refugee agency said it had set up a temporary reception point on the Afghan side to register returning families and provide them with cash assistance and hygiene kits."""

TORKHAM = """Thousands of Afghan families returned through the Torkham border crossing on Wednesday as Pakistani authorities stepped up the registration of undocumented migrants in Khyber Pakhtunkhwa, officials said.

The provincial home department said 3,100 people crossed at Torkham in a single day, the highest number this month. Officials said most of them had left voluntarily after police visited their neighbourhoods in Peshawar.

The United Nations refugee agency said families arriving on the Afghan side needed shelter, food and cash assistance, and urged both governments to ensure that returns were voluntary, safe and dignified.

Traders at the crossing said the crowds had slowed the movement of goods, with trucks waiting for hours at the customs terminal.

A spokesman for the Afghan refugee ministry in Kabul said reception centres in Nangarhar province were struggling to cope with the number of arrivals and appealed for more international support."""

FOLLOW_UP = """Traders in Chaman said on Friday that business had not recovered two days after the border crossing with Afghanistan reopened, as a backlog of trucks and new security checks slowed the movement of goods.

The crossing reopened on Wednesday after a closure of nine days. The crossing was shut on November 3 after clashes between border forces on both sides left two guards injured.

Local transporters said drivers were being asked for fresh documents at two checkpoints before reaching the gate, and that some trucks had been turned back.

"The gate is open but the road is not," said a transporter who asked not to be named. He said his company had stopped sending vehicles until the rules were clear.

Officials in the provincial government said the checks were temporary and would be eased once the backlog was cleared, but gave no date."""

OPINION = """The reopening of the Chaman crossing this week will be welcomed by traders and stranded families, but it should not be mistaken for a policy. A border that shuts for nine days after every clash is not a border that anyone can plan a life or a business around.

Pakistan and Afghanistan have spent two years trading accusations while the people who depend on the frontier pay the price. Families returning to Afghanistan have waited in makeshift camps with no shelter, and fruit has rotted on the highway while officials argued.

What is needed is a standing mechanism: a joint committee that meets before a dispute turns into a closure, clear rules for traders, and a guarantee that families already on the road are allowed through.

The refugee agency's reception points on the Afghan side are a humane response to a crisis of our making. They should not have to be improvised every time the gates close."""

ROUNDUP = (
    "Here is what happened on the frontier this week.\n\n"
    + BORDER
    + "\n\n"
    + TORKHAM
    + "\n\n"
    + FOLLOW_UP
    + "\n\nIn Islamabad, officials said a review of the registration drive would be presented to the cabinet next month, "
    "and that the deadline for holders of proof of registration cards had not been changed."
)

CARDS = """The federal interior ministry said on Monday that holders of proof of registration cards would be given until the end of March to regularise their stay, extending a deadline that had been due to expire this week.

In a notification, the ministry said provincial governments should not detain card holders before the new deadline and should instead help them obtain visas or return voluntarily.

About 1.3 million Afghans hold the cards, which were issued with the help of the United Nations refugee agency. The agency welcomed the extension but said a longer-term solution was needed.

Rights groups said the repeated short extensions left families unable to plan, and that many card holders had been in Pakistan for decades."""

CARDS_COPY = """ISLAMABAD: The federal interior ministry said on Monday that holders of Proof of Registration cards would be given until the end of March to regularise their stay, extending a deadline that had been due to expire this week.

In a notification, the ministry said provincial governments should not detain card holders before the new deadline and should instead help them obtain visas or return voluntarily.

About 1.3 million Afghans hold the cards, which were issued with the help of the United Nations refugee agency. The agency welcomed the extension but said a longer-term solution was needed.

Rights groups said the repeated short extensions left families unable to plan, and that many card holders had been in Pakistan for decades.

Copyright 2025 news agency. All rights reserved."""

CARDS_OTHER = """The federal interior ministry said on Monday that holders of Afghan citizen cards must leave the country by the end of the month, and that police would begin checks in Islamabad and Rawalpindi after the deadline.

In a notification, the ministry said provincial governments should identify card holders and help them return voluntarily before the deadline.

About 800,000 Afghans hold the citizen cards, which were issued by the national database authority. The United Nations refugee agency urged Pakistan to give families more time.

Rights groups said the deadline left families with only weeks to sell their belongings and arrange transport."""

SAME_STORY = [
    ("dateline, dropped paragraph, agency credit", BORDER, BORDER_APP),
    ("edited wording, shortened quote, inserted link line", BORDER, BORDER_EDITED),
    ("first half only", BORDER, BORDER_SHORT),
    ("two copies of one outlet's rewrite", BORDER_APP, BORDER_EDITED),
    ("dateline and copyright line", CARDS, CARDS_COPY),
]
DIFFERENT_STORIES = [
    ("same topic, another crossing", BORDER, TORKHAM),
    ("follow-up quoting two sentences", BORDER, FOLLOW_UP),
    ("updated figure", BORDER, BORDER_UPDATED),
    ("round-up containing the story", BORDER, ROUNDUP),
    ("opinion piece on the story", BORDER, OPINION),
    ("same ministry, other card, same template", CARDS, CARDS_OTHER),
    ("deadline story against border story", CARDS, BORDER),
]
