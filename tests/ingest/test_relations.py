"""Relations on sentences written for these tests, one table row per language: who signs, which
amount is a deal's, which sentence is each value's evidence, one event node across reports."""

from __future__ import annotations

import pytest

from ingest import pipeline
from ingest.article import Article
from ingest.facts import Extraction


def extract(text: str, published: str = "2026-05-04") -> Extraction:
    return pipeline.analyse(Article(text=text, source="test.txt", published=published)).extraction


def names(x: Extraction, refs: list[str]) -> set[str]:
    return {x.entities[r].name for r in refs}


def only_agreement(x: Extraction):
    assert len(x.agreements) == 1, [(a.type, a.parties) for a in x.agreements]
    return x.agreements[0]


# The akim meets a company, then "the parties" sign: the akim's region and the company.
MEETING_THEN_PARTIES = [
    ("Түркістан облысының әкімі Дархан Сатыбалды «Green Agro Holding» компаниясының басшысы Али Кая мен "
     "кездесті. Кездесу соңында тараптар облыста жылыжай кешенін салу туралы меморандумға қол қойды.",
     {"Түркістан облысы", "Green Agro Holding"}),
    ("Аким Жамбылской области Ерлан Карашукеев встретился с руководством компании «Sino Steel Trading». "
     "По итогам встречи стороны подписали меморандум о строительстве металлургического завода.",
     {"Жамбылская область", "Sino Steel Trading"}),
    ("Zhambyl Region Governor Yerlan Karashukeyev met executives of Sino Steel Trading. After the meeting "
     "the parties signed a memorandum on building a steel plant.",
     {"Zhambyl Region", "Sino Steel Trading"}),
]


@pytest.mark.parametrize("text,parties", MEETING_THEN_PARTIES)
def test_the_parties_after_a_meeting_are_the_akims_region_and_the_guest(text: str, parties: set[str]) -> None:
    x = extract(text)
    assert names(x, only_agreement(x).parties) == parties


# Four signatories: the akimat (= the region), a national company, a development bank, a company.
SEVERAL_SIGNATORIES = [
    ("ПАВЛОДАР. KAZINFORM – Павлодар облысының әкімдігі, Kazakh Invest ұлттық компаниясы, Қазақстанның Даму "
     "банкі және «Ertis Chemical» компаниясы химия зауытын салу туралы төрт жақты келісімге қол қойды.",
     {"Павлодар облысы", "Kazakh Invest", "Қазақстанның Даму банкі", "Ertis Chemical"}),
    ("ASTANA. KAZINFORM - Kalyon Enerji, the Ministry of Industry of Kazakhstan, Kazakh Invest and the Development "
     "Bank of Kazakhstan signed a framework agreement on a solar power plant in Turkistan Region.",
     {"Ministry of Industry of Kazakhstan", "Kazakh Invest", "Development Bank of Kazakhstan", "Kalyon Enerji"}),
]


@pytest.mark.parametrize("text,parties", SEVERAL_SIGNATORIES)
def test_several_signatories_are_all_parties_and_the_outlet_none(text: str, parties: set[str]) -> None:
    x = extract(text)
    assert names(x, only_agreement(x).parties) == parties


# The signing officials stand for what they head: the akim for his region, the CEO for his firm.
SIGNING_HEADS = [
    ("Ақмола облысының әкімі Марат Ахметжанов пен «Nordic Timber» компаниясының бас директоры Ларс Берг "
     "ағаш өңдеу зауытын салу туралы меморандумға қол қойды.", {"Ақмола облысы", "Nordic Timber"}),
    ("Меморандум о строительстве деревообрабатывающего завода подписали аким Акмолинской области Марат "
     "Ахметжанов и генеральный директор компании «Nordic Timber» Ларс Берг.",
     {"Акмолинская область", "Nordic Timber"}),
]


@pytest.mark.parametrize("text,parties", SIGNING_HEADS)
def test_signing_officials_bring_in_what_they_head(text: str, parties: set[str]) -> None:
    x = extract(text)
    assert names(x, only_agreement(x).parties) == parties


# Two regions sign: a foreign region is a party when no company stands beside it ...
REGION_TO_REGION = [
    ("Астрахань облысының делегациясы Атырау облысына келді. Екі өңір ынтымақтастық туралы меморандумға "
     "қол қойды.", {"Атырау облысы", "Астрахань облысы"}),
    ("Делегация Омской области прибыла в Павлодарскую область. Оба региона подписали соглашение о "
     "сотрудничестве.", {"Павлодарская область", "Омская область"}),
]


@pytest.mark.parametrize("text,parties", REGION_TO_REGION)
def test_two_regions_sign_with_each_other(text: str, parties: set[str]) -> None:
    x = extract(text)
    assert names(x, only_agreement(x).parties) == parties


def test_a_foreign_region_beside_a_company_only_says_where_it_comes_from() -> None:
    x = extract("Pavlodar Region signed a memorandum of understanding with Jiangsu Tianma Glass, a company "
                "from Jiangsu Province.")
    assert names(x, only_agreement(x).parties) == {"Pavlodar Region", "Jiangsu Tianma Glass"}


def test_a_city_whose_akim_signs_is_the_party_and_the_location() -> None:
    x = extract("Шымкент қаласының әкімі Ғабит Сыздықбеков «Atlas Enerji» компаниясымен кездесті. Тараптар "
                "жел электр станциясын салу туралы меморандумға қол қойды.")
    agreement = only_agreement(x)
    assert names(x, agreement.parties) == {"Шымкент", "Atlas Enerji"}
    assert x.entities[agreement.location_region].name == "Шымкент"


def test_the_sides_later_in_the_article_are_the_last_named_signatories() -> None:
    x = extract("Governor of Mangystau Region Nurlan Nogayev and the European Bank for Reconstruction and "
                "Development signed a loan agreement worth KZT 12 billion. The parties also signed a "
                "roadmap on water supply projects.")
    assert [a.type for a in x.agreements] == ["loan_agreement", "roadmap"]
    assert names(x, x.agreements[1].parties) == names(x, x.agreements[0].parties) == {
        "Mangystau Region", "European Bank for Reconstruction and Development"}


# The trigger sentence names no signatory; the next sentences do.
SIGNERS_AFTER = [
    "Премьер-Министрдің қатысуымен мыс балқыту зауытын салу туралы келісімге қол қойылды. Құжатқа үш компания "
    "қол қойды. Олар – «Altyn Mys» ЖШС, «Qazaq Copper» ЖШС және «Sino Build» компаниясы.",
    "В присутствии премьер-министра подписано соглашение о строительстве медеплавильного завода. Документ "
    "подписали ТОО «Altyn Mys», АО «Qazaq Copper» и компания «Sino Build».",
    "A contract to build a copper smelter was signed in the presence of the Prime Minister. The document was "
    "signed by Altyn Mys, Qazaq Copper and Sino Build.",
]


@pytest.mark.parametrize("text", SIGNERS_AFTER)
def test_signatories_listed_after_the_signing_sentence(text: str) -> None:
    x = extract(text)
    assert names(x, only_agreement(x).parties) == {"Altyn Mys", "Qazaq Copper", "Sino Build"}


def test_documents_between_the_same_parties_stay_apart_in_the_graph() -> None:
    from ingest.cli import facts_of

    article = Article(text="Governor of Mangystau Region Nurlan Nogayev and the European Bank for Reconstruction "
                           "and Development signed a loan agreement worth KZT 12 billion. The parties also "
                           "signed a roadmap on water supply projects.", source="t.txt", published="2026-05-04")
    found = facts_of(article)["agreements"]
    assert sorted(a["type"] for a in found) == ["loan_agreement", "roadmap"]


# Trade turnover stated beside a deal is not the deal's amount.
TRADE_BESIDE_DEAL = [
    "Қостанай облысы мен «Agro Steppe» компаниясы ет өңдеу кешенін салу туралы меморандумға қол қойды. Өткен "
    "жылы облыс пен Қытай арасындағы тауар айналымы 300 млн АҚШ долларын құрады.",
    "Акимат Костанайской области и компания «Agro Steppe» подписали меморандум о строительстве "
    "мясоперерабатывающего комплекса. Товарооборот области с Китаем в прошлом году составил 300 млн долларов.",
    "Kostanay Region signed a memorandum on a meat processing complex. Last year the region's trade turnover "
    "with China reached USD 300 million.",
]


@pytest.mark.parametrize("text", TRADE_BESIDE_DEAL)
def test_trade_turnover_is_not_a_deal_amount(text: str) -> None:
    assert only_agreement(extract(text)).amount is None


# A total over several documents is an aggregate, with the total as its amount.
TOTALS = [
    "Форум барысында Қостанай облысы жалпы сомасы 120 млрд теңгені құрайтын 12 меморандумға қол қойды.",
    "В ходе форума Костанайская область подписала меморандумы с инвесторами. Общая сумма документов "
    "составила 120 млрд тенге.",
    "At the forum Kostanay Region signed three memorandums with investors worth a total of KZT 120 billion.",
]


@pytest.mark.parametrize("text", TOTALS)
def test_a_total_over_several_documents_is_an_aggregate(text: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.aggregate and agreement.amount.value == 120_000_000_000


@pytest.mark.parametrize("text", [
    "Akimat of Kostanay Region signed a memorandum with Qazaq Agro. The regional administration and Qazaq Agro "
    "also signed a contract for a dairy farm worth KZT 2 billion.",
    "Қостанай облысы «Qazaq Agro» компаниясымен меморандумға қол қойды. Облыс әкімдігі мен «Qazaq Agro» "
    "компаниясы сүт фермасын салуға 2 млрд теңгеге келісімшарт жасасты.",
])
def test_the_akimat_named_without_its_region_signs_for_the_home_region(text: str) -> None:
    x = extract(text)
    contract = next(a for a in x.agreements if a.type == "contract")
    assert any(x.entities[p].kind == "region" for p in contract.parties)


# Each value cites the sentence that states it, not the signing sentence.
EVIDENCE = [
    ("Ақтөбе облысы мен «Steppe Glass» компаниясы шыны зауытын салу туралы меморандумға қол қойды. Жоба Мәртөк "
     "ауданында іске асырылады. Жобаның құны 45 млрд теңге деп бағаланып отыр.", "45 млрд"),
    ("Актюбинская область и компания «Steppe Glass» подписали меморандум о строительстве стекольного завода. "
     "Завод построят в Мартукском районе. Стоимость проекта оценивается в 45 млрд тенге.", "45 млрд"),
    ("Aktobe Region and Steppe Glass LLP signed a memorandum on building a glass plant. The plant will be built "
     "in Martuk District. The project is estimated at KZT 45 billion.", "KZT 45 billion"),
]


@pytest.mark.parametrize("text,amount", EVIDENCE)
def test_the_amount_cites_the_sentence_with_the_amount(text: str, amount: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.amount is not None and amount in agreement.evidence_of("amount").text
    assert amount not in agreement.evidence.text
    assert all(x in agreement.evidence_of(f"party:{p}").text for p in agreement.parties
               for x in ("Steppe Glass",))


def test_the_graph_states_the_amount_with_its_own_sentence() -> None:
    from pyoxigraph import NamedNode

    from graph.namespaces import DG, RDF, node_iri

    article = Article(text=EVIDENCE[2][0], source="t.txt", published="2026-05-04")
    done = pipeline.extract(article)
    triples = done.triples
    amount_sentence = next(s.index for s in done.sentences if "KZT 45 billion" in s.text)
    statements = {t.subject for t in triples if t.predicate == NamedNode(RDF + "predicate")
                  and t.object == NamedNode(DG + "amount")}
    cited = {t.object.value for t in triples if t.subject in statements and t.predicate == NamedNode(DG + "evidence")}
    assert cited == {node_iri("sentence", article.content_hash, str(amount_sentence))}


# A meeting at home: led by the host official, from what he heads, where the sentence says.
MEETINGS = [
    "Маңғыстау облысының әкімі Нұрлан Ноғаев Ақтау қаласында «Caspian Desal» компаниясының өкілдерімен кездесті.",
    "Аким Мангистауской области Нурлан Ногаев встретился в Актау с представителями компании «Caspian Desal».",
    "Mangystau Region Governor Nurlan Nogayev met representatives of Caspian Desal LLP in Aktau.",
]


@pytest.mark.parametrize("text", MEETINGS)
def test_a_meeting_is_led_by_the_host_from_his_region_where_it_took_place(text: str) -> None:
    x = extract(text)
    [meeting] = x.visits
    assert meeting.type == "meeting"
    assert x.entities[meeting.led_by].kind == "official"
    assert x.entities[meeting.from_place].name in {"Маңғыстау облысы", "Мангистауская область", "Mangystau Region"}
    assert x.entities[meeting.location].kind == "city"
    [met] = names(x, meeting.met)
    assert met.startswith("Caspian Desal")  # the legal form is the entity layer's to keep or drop


VISIT_REPORTS = [
    "Ақтөбе облысының делегациясы облыс әкімі Асхат Шахаровтың бастауымен 2026 жылғы 12 мамырда Шанхай "
    "қаласында болды.",
    "Делегация Актюбинской области во главе с акимом области Асхатом Шахаровым 12 мая 2026 года побывала в Шанхае.",
    "A delegation of Aktobe Region led by Governor Askhat Shakharov visited Shanghai on 12 May 2026.",
]


def test_one_visit_reported_in_three_languages_is_one_event_node() -> None:
    from graph.namespaces import DG
    from pyoxigraph import NamedNode

    nodes = set()
    for text in VISIT_REPORTS:
        done = pipeline.extract(Article(text=text, source="t.txt", published="2026-05-13"))
        [visit] = done.extraction.visits
        assert visit.type == "visit" and visit.date.isoformat() == "2026-05-12"
        nodes |= {t.subject.value for t in done.triples if t.object == NamedNode(DG + "Visit")}
    assert len(nodes) == 1


# Projects are whole noun phrases; a nationality is not part of the name; sectors come from the list.
PROJECTS = [
    ("Түркістан облысы мен «Sun Qazaq» компаниясы аралас циклды газ зауытын салу туралы меморандумға қол қойды.",
     "аралас циклды газ зауыты", "energy"),
    ("Туркестанская область и компания «Sun Qazaq» подписали меморандум. Компания построит китайский завод по "
     "производству клейкой ленты.", "завод по производству клейкой ленты", None),
    ("Turkistan Region and Sun Qazaq signed a memorandum on a combined heat and power (CHP) plant.",
     "combined heat and power (CHP) plant", "energy"),
    ("Turkistan Region and Sun Qazaq signed a memorandum on building a modern greenhouse complex.",
     "greenhouse complex", "agriculture"),
    ("Түркістан облысы мен «Sun Qazaq» компаниясы жел электр станциясын салу туралы меморандумға қол қойды.",
     "жел электр станциясы", "renewable energy"),
    ("Туркестанская область и компания «Sun Qazaq» подписали меморандум о строительстве завода по переработке "
     "томатов. Кроме того, в области построят цементный завод.", "завод по переработке томатов", "food processing"),
]


@pytest.mark.parametrize("text,project,sector", PROJECTS)
def test_projects_are_whole_noun_phrases_with_a_listed_sector(text: str, project: str, sector: str | None) -> None:
    x = extract(text)
    agreement = only_agreement(x)
    assert x.entities[agreement.project].name == project and agreement.sector == sector


def test_every_sector_is_one_of_the_documented_names() -> None:
    from ingest.lexicon import sectors

    documented = [s for s, _ in sectors()]
    assert len(documented) == len(set(documented)) <= 20
    for text, _, sector in PROJECTS:
        assert sector is None or sector in documented


# Word order as data: the ambassador's country is his post's owner, before or after it.
ENVOYS = [
    "Корея Республикасының Қазақстандағы елшісі Пак Сон Мин Павлодар облысының әкімі Асайын Байхановпен кездесті.",
    "Посол Республики Корея в Казахстане Пак Сон Мин встретился с акимом Павлодарской области Асаином Байхановым.",
]


@pytest.mark.parametrize("text", ENVOYS)
def test_an_ambassador_represents_the_country_that_owns_his_post(text: str) -> None:
    x = extract(text)
    ambassador = next(p for p in x.posts if p.role == "ambassador")
    assert ambassador.of == "country:KR"


@pytest.mark.parametrize("text", VISIT_REPORTS)
def test_a_delegation_comes_from_the_owner_of_the_delegation_noun(text: str) -> None:
    x = extract(text)
    assert x.entities[x.visits[0].from_place].name in {"Ақтөбе облысы", "Актюбинская область", "Aktobe Region"}


@pytest.mark.parametrize("text", [
    "Karaganda Region and Qarmet Steel signed a memorandum. The parties also signed a KZT 5.4 billion loan "
    "agreement for a rolling mill.",
    "Карагандинская область и компания «Qarmet Steel» подписали меморандум. Стороны также подписали кредитное "
    "соглашение на 5,4 млрд тенге о строительстве прокатного стана.",
])
def test_a_number_inside_an_amount_is_no_count_of_documents(text: str) -> None:
    x = extract(text)
    loan = next(a for a in x.agreements if a.type == "loan_agreement")
    assert not loan.aggregate and loan.amount.value == 5_400_000_000


def test_arrangements_are_no_contract_and_an_agreement_on_principles_is_a_framework() -> None:
    x = extract("Региональные органы и ТОО «Qarmet Steel» закрепили договоренности о сотрудничестве. Стороны "
                "подписали соглашение о принципах реализации проекта прокатного стана в Карагандинской области.")
    assert [a.type for a in x.agreements] == ["framework_agreement"]
    assert any(x.entities[p].kind == "region" for p in x.agreements[0].parties)


@pytest.mark.parametrize("text", [
    "Облыс әкімдігі мен «Qarmet Steel» компаниясы прокат станын салу туралы меморандумға қол қойды, деп "
    "хабарлайды Orda.kz.",
    "Акимат Карагандинской области и компания «Qarmet Steel» подписали меморандум о строительстве прокатного "
    "стана, передает Orda.kz.",
    "Karaganda Region and Qarmet Steel signed a memorandum on a rolling mill, Orda.kz reports.",
])
def test_the_reporting_outlet_never_signs(text: str) -> None:
    x = extract(text)
    assert not any("orda" in p for p in only_agreement(x).parties)


@pytest.mark.parametrize("text", [
    "Kyzylorda Region and Baltic Agro signed a memorandum on a greenhouse complex. The complex will grow "
    "vegetables all year round. A plot of 250 hectares has been set aside. Investment in the project totals "
    "KZT 134.5 billion. Separately, the region signed a framework agreement with Steppe Hemp on a processing cluster.",
    "Кызылординская область и компания «Baltic Agro» подписали меморандум о строительстве тепличного комплекса. "
    "Комплекс будет выращивать овощи круглый год. Под строительство выделено 250 гектаров. Инвестиции в проект "
    "составят 134,5 млрд тенге. Кроме того, область подписала рамочное соглашение с компанией «Steppe Hemp».",
])
def test_an_amount_stated_paragraphs_later_stays_with_its_own_deal(text: str) -> None:
    x = extract(text)
    by_type = {a.type: a for a in x.agreements}
    assert by_type["mou"].amount.value == 134_500_000_000 and by_type["framework_agreement"].amount is None


@pytest.mark.parametrize("text", [
    "AKTAU. QAZNEWS - Mangystau Region Governor Nurlan Nogayev met representatives of Caspian Desal LLP in Aktau.",
    "АКТАУ. QAZNEWS – Аким Мангистауской области Нурлан Ногаев встретился в Актау с представителями компании "
    "«Caspian Desal».",
])
def test_the_agency_of_a_dateline_is_no_one_met(text: str) -> None:
    x = extract(text)
    assert not any("qaznews" in r.lower() for r in x.visits[0].met)


@pytest.mark.parametrize("text", [
    "East Kazakhstan Region and the European Bank for Reconstruction and Development have signed 10 contracts "
    "and agreements worth KZT 46.5 billion in total.",
    "Восточно-Казахстанская область и Европейский банк реконструкции и развития подписали 10 контрактов и "
    "соглашений на общую сумму 46,5 млрд тенге.",
    "Шығыс Қазақстан облысы мен Еуропа қайта құру және даму банкі жалпы сомасы 46,5 млрд теңгені құрайтын 10 "
    "келісімшарт пен келісімге қол қойды.",
])
def test_a_total_over_documents_of_several_kinds_has_type_other(text: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.type == "other" and agreement.aggregate


@pytest.mark.parametrize("table", ["relation_cues.tsv", "project_words.tsv"])
def test_every_relation_vocabulary_row_compiles(table: str) -> None:
    import re

    from ingest.lexicon import rows

    found = rows(table)
    assert found
    for row in found:
        lang, kind, pattern = (row + [""])[:3]
        assert kind and lang in ("kk", "ru", "en"), row
        re.compile(pattern)


@pytest.mark.parametrize("text", [
    "Kyzylorda Region signed a memorandum with Baltic Agro on a greenhouse complex. Investment in the project "
    "totals KZT 134.5 billion (around $256 million). Separately, the region signed a framework agreement with "
    "Steppe Hemp on a processing cluster.",
    "Кызылординская область подписала меморандум с компанией «Baltic Agro» о строительстве тепличного "
    "комплекса. Инвестиции составят 134,5 млрд тенге (около 256 млн долларов). Кроме того, область подписала "
    "рамочное соглашение с компанией «Steppe Hemp».",
])
def test_a_conversion_in_brackets_is_no_deal_amount(text: str) -> None:
    x = extract(text)
    by_type = {a.type: a for a in x.agreements}
    assert by_type["mou"].amount.value == 134_500_000_000 and by_type["framework_agreement"].amount is None


@pytest.mark.parametrize("text", [
    "Астрахань облысының іскерлік тобы Атырау облысына арнайы сапармен келді.",
    "Деловая группа Астраханской области прибыла с визитом в Атыраускую область.",
    "A business group from Astrakhan Region arrived in Atyrau Region on a visit.",
])
def test_a_business_group_travels_like_a_delegation(text: str) -> None:
    x = extract(text)
    [visit] = x.visits
    assert x.entities[visit.from_place].country == "RU" and x.entities[visit.location].country == "KZ"


# The sector: the signing sentence's own subject first, then the project's name, then the next
# sentences; words inside names are no industry; a general sector inside a specific one's words
# ("инфраструктуры" in "социальной инфраструктуры") is not a second sector; a pattern never
# matches the common word it starts ("болатын" is no steel, "business" no bus).
SECTORS = [
    ("Жамбыл облысы мен «Agro Steppe» компаниясы құны 20 млрд теңге болатын тоқыма саласындағы ынтымақтастық "
     "туралы меморандумға қол қойды.", "textiles"),
    ("Жамбыл облысы мен Маңғыстау облысы сауда-экономикалық ынтымақтастық туралы меморандумға қол қойды.",
     "interregional cooperation"),
    ("Жамбыл облысы мен «Qazaq Su» компаниясы ауыз сумен қамтамасыз ету туралы меморандумға қол қойды. "
     "Жоба аясында шағын су электр станциясы салынады.", "water supply"),
    ("Жамбылская область и компания «Agro Steppe» подписали меморандум о развитии социальной и коммунальной "
     "инфраструктуры в селах региона.", "social infrastructure"),
    ("Жамбылская область и компания «Aqsu Energy» подписали меморандум. Компания построит в Таразе "
     "парогазовую установку.", "energy"),
    ("Жамбылская область и Омская область подписали меморандум о межрегиональном сотрудничестве.",
     "interregional cooperation"),
    ("Zhambyl Region and Agro Steppe LLP signed a memorandum on business cooperation in the textile industry.",
     "textiles"),
    ("Zhambyl Region and Taraz Bus Works signed a loan agreement to modernise public transport in Taraz.",
     "public transport"),
    ("Zhambyl Region and Qazaq Su signed a memorandum on supplying potable water to ten villages. A small "
     "hydroelectric power station will be built next to the pipeline.", "water supply"),
]


@pytest.mark.parametrize("text,sector", SECTORS)
def test_the_sector_of_a_deal(text: str, sector: str) -> None:
    assert only_agreement(extract(text)).sector == sector


# Contracts listed one per sentence after a plural document, each with one company and a sum.
LISTED_PARTS = [
    ("«Turan Power» ЖШС қытайлық компаниялармен жалпы сомасы 300 млрд теңгені құрайтын келісімшарттарға қол "
     "қойды. «Hubei Design» компаниясы жобалау жұмыстарын 12 млрд теңгеге орындайды. «Wuhan Boiler» компаниясы "
     "жабдықты 200 млрд теңгеге жеткізеді. Зауыт 2028 жылы іске қосылады."),
    ("ТОО «Turan Power» подписало с китайскими компаниями контракты на общую сумму 300 млрд тенге. Компания "
     "«Hubei Design» выполнит проектирование за 12 млрд тенге. Компания «Wuhan Boiler» поставит оборудование "
     "на 200 млрд тенге. Станцию введут в 2028 году."),
    ("Turan Power LLP has signed contracts with Chinese companies that add up to KZT 300 billion. Hubei Design "
     "Co. is to prepare the design for KZT 12 billion. Wuhan Boiler Co. will deliver the equipment for KZT 200 "
     "billion. The station is due in 2028."),
]


@pytest.mark.parametrize("text", LISTED_PARTS)
def test_contracts_listed_one_per_sentence_are_parts_of_their_total(text: str) -> None:
    x = extract(text)
    by_amount = {int(a.amount.value): a for a in x.agreements if a.amount}
    assert set(by_amount) == {300_000_000_000, 12_000_000_000, 200_000_000_000}
    assert {a.type for a in x.agreements} == {"contract"} and len(x.agreements) == 3
    assert "Hubei Design" in " ".join(names(x, by_amount[12_000_000_000].parties))
    assert "Wuhan Boiler" not in " ".join(names(x, by_amount[12_000_000_000].parties))
    assert len(by_amount[300_000_000_000].parties) == 3


# A second document of the same Kazakh region with a foreign region is a second agreement.
FOREIGN_REGION_SECOND = [
    "Павлодар облысы мен «Ertis Glass» компаниясы шыны зауытын салу туралы меморандумға қол қойды. Сонымен қатар "
    "Павлодар облысы мен Хэйлунцзян провинциясы бауырлас өңірлер туралы келісім жасасты.",
    "Павлодарская область и компания «Ertis Glass» подписали меморандум о строительстве стекольного завода. "
    "Кроме того, Павлодарская область и провинция Хэйлунцзян заключили соглашение о побратимстве.",
    "Pavlodar Region and Ertis Glass signed a memorandum on a glass plant. Pavlodar Region and Heilongjiang "
    "Province also signed a twinning agreement.",
]


@pytest.mark.parametrize("text", FOREIGN_REGION_SECOND)
def test_a_foreign_region_signing_with_the_same_region_is_a_new_agreement(text: str) -> None:
    x = extract(text)
    assert len(x.agreements) == 2
    assert any(x.entities[p].country == "CN" for p in x.agreements[1].parties)


# A sum over many documents in a later sentence is theirs, not the earlier deal's; a deadline is no
# signing date.
LATER_SUMS_AND_DEADLINES = [
    "Қостанай облысы мен «Tobyl Agro» компаниясы жылыжай кешенін салу туралы меморандумға қол қойды. Форумда "
    "барлығы 2 млрд долларға 30 келісімге қол қойылды. Кешен 2027 жылғы 1 желтоқсанға дейін салынады.",
    "Костанайская область и компания «Tobyl Agro» подписали меморандум о строительстве тепличного комплекса. "
    "Всего на форуме подписано 30 соглашений на 2 млрд долларов. Комплекс построят до 1 декабря 2027 года.",
    "Kostanay Region and Tobyl Agro signed a memorandum on a greenhouse complex. In total, 30 agreements worth "
    "$2 billion were signed at the forum. The complex is to be built by December 1, 2027.",
]


@pytest.mark.parametrize("text", LATER_SUMS_AND_DEADLINES)
def test_a_later_sum_of_many_documents_and_a_deadline_are_not_the_deals(text: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.amount is None and agreement.date is None


@pytest.mark.parametrize("text", [
    "Бүгін Қостанай облысы мен «Tobyl Agro» компаниясы жылыжай кешенін салу туралы меморандумға қол қойды.",
    "Сегодня Костанайская область и компания «Tobyl Agro» подписали меморандум о строительстве теплиц.",
    "Kostanay Region and Tobyl Agro signed a memorandum on a greenhouse complex today.",
])
def test_signed_today_is_signed_on_the_reports_date(text: str) -> None:
    assert only_agreement(extract(text, published="2026-05-04")).date.isoformat() == "2026-05-04"


@pytest.mark.parametrize("text", [
    "Кездесу барысында «Orda Motors» бірлескен кәсіпорнын құру жөніндегі құрылтай құжаттарына «Hyundai» "
    "компаниясы мен «Astana Motors» компаниясы қол қойды.",
    "Компании «Hyundai» и «Astana Motors» подписали учредительные документы совместного предприятия «Orda Motors».",
    "Hyundai and Astana Motors signed the founding documents of the Orda Motors joint venture.",
])
def test_founding_documents_of_a_joint_venture_are_an_agreement(text: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.type == "other" and agreement.status == "signed"


@pytest.mark.parametrize("text", [
    "Шығыс Қазақстан облысы мен ЕҚДБ қатты тұрмыстық қалдықтарды өңдеу зауыттарын қаржыландыру туралы келісімге "
    "қол қойды.",
    "Восточно-Казахстанская область и ЕБРР подписали соглашение о финансировании заводов по переработке твердых "
    "бытовых отходов.",
    "At the meeting, East Kazakhstan Region Governor Danial Akhmetov and EBRD President Suma Chakrabarti signed "
    "an agreement on financing waste treatment plants.",
])
def test_a_plain_agreement_signed_with_a_bank_is_a_document(text: str) -> None:
    agreement = only_agreement(extract(text))
    assert agreement.type == "other" and agreement.sector == "waste management"


def test_the_body_cited_as_the_source_signs_nothing() -> None:
    x = extract("Kazakh and German companies signed 22 agreements worth EUR 1.2 billion, according to the Ministry "
                "of Foreign Affairs of Kazakhstan.")
    assert not any("Ministry" in x.entities[p].name for a in x.agreements for p in a.parties)


@pytest.mark.parametrize("text", [
    "Шығыс Қазақстан облысының әкімі бүгін Астанада ЕҚДБ басшылығымен кездесті. Кездесу барысында тараптар "
    "қалдықтарды өңдеу зауыты туралы келісімге қол қойды.",
    "Аким Восточно-Казахстанской области сегодня встретился в Астане с руководством ЕБРР. По итогам встречи "
    "стороны подписали соглашение о строительстве мусороперерабатывающего завода.",
    "The Governor of East Kazakhstan Region met the EBRD leadership in Astana today. At the meeting the parties "
    "signed an agreement on a waste treatment plant.",
])
def test_signed_at_the_meeting_is_signed_on_the_meetings_day(text: str) -> None:
    assert only_agreement(extract(text, published="2026-05-04")).date.isoformat() == "2026-05-04"


# Guests reported first as met by the host are a meeting led by him; the delegation's head is an
# official of the company (dev README, "Events").
HOST_FIRST = [
    "Қостанай облысының әкімі Нұрлан Ержанов «Steppe Glass» компаниясының өкілдерімен кездесті. Компанияның "
    "делегациясын Марек Новак бастап келді.",
    "Аким Костанайской области Нурлан Ержанов встретился с представителями компании «Steppe Glass». Делегацию "
    "компании возглавил Марек Новак.",
    "Kostanay Region Governor Nurlan Yerzhanov met representatives of Steppe Glass LLP. The company's delegation was "
    "led by Marek Nowak.",
]


@pytest.mark.parametrize("text", HOST_FIRST)
def test_guests_met_by_the_host_first_are_a_meeting_led_by_the_host(text: str) -> None:
    x = extract(text)
    [meeting] = x.visits
    assert meeting.type == "meeting"
    assert x.entities[meeting.led_by].name in {"Нұрлан Ержанов", "Нурлан Ержанов", "Nurlan Yerzhanov"}
    head = next(p for p in x.posts if x.entities[p.official].name in {"Марек Новак", "Marek Nowak"})
    assert head.role == "other" and x.entities[head.of].name.startswith("Steppe Glass")
    assert head.official in meeting.met


# The trip reported first, or the home side abroad, is a visit.
TRIP_FIRST = [
    ("Делегация компании «Steppe Glass» во главе с директором Мареком Новаком прибыла в Костанай. Гостей "
     "принял аким области Нурлан Ержанов.", "Марек Новак", "Костанай"),
    ("A delegation of Steppe Glass LLP led by its director Marek Nowak arrived in Kostanay and held talks with "
     "Governor Nurlan Yerzhanov.", "Marek Nowak", "Kostanay"),
    ("Аким Костанайской области Нурлан Ержанов провел встречу с руководством компании «Sichuan Glass». "
     "Находясь с рабочей поездкой в Китае, аким также посетил завод компании.", "Нурлан Ержанов", "Китай"),
]


@pytest.mark.parametrize("text,leader,where", TRIP_FIRST)
def test_a_trip_told_first_or_made_abroad_is_a_visit(text: str, leader: str, where: str) -> None:
    x = extract(text)
    [visit] = x.visits
    assert visit.type == "visit"
    assert x.entities[visit.led_by].name == leader and x.entities[visit.location].name == where


# A forum held beside a visit is an event of its own; one only to come is none.
FORUM_AND_VISIT = [
    "Қостанай облысының делегациясы облыс әкімі Нұрлан Ержановтың бастауымен Ташкентке барды. Ташкент қаласында "
    "өткен инвестициялық форумда облыс бес меморандумға қол қойды.",
    "Делегация Костанайской области во главе с акимом Нурланом Ержановым посетила Ташкент. На инвестиционном "
    "форуме в Ташкенте область подписала пять меморандумов.",
    "A delegation of Kostanay Region led by Governor Nurlan Yerzhanov visited Tashkent. At an investment forum "
    "held in Tashkent the region signed five memoranda.",
]


@pytest.mark.parametrize("text", FORUM_AND_VISIT)
def test_a_forum_held_during_a_visit_is_a_second_event(text: str) -> None:
    x = extract(text)
    assert sorted(v.type for v in x.visits) == ["forum", "visit"]


@pytest.mark.parametrize("text", [
    "Қостанай облысы мен «Steppe Glass» компаниясы меморандумды 2026 жылы Астанада өтетін форумда қол қоюды "
    "жоспарлап отыр.",
    "Костанайская область и компания «Steppe Glass» подпишут меморандум на форуме, который пройдет в Астане.",
    "Kostanay Region and Steppe Glass LLP are to sign a memorandum at a forum in Astana next month.",
])
def test_a_forum_still_to_come_is_no_event(text: str) -> None:
    assert [v.type for v in extract(text).visits] == []


# A delegation named only in a signing at home is a signing, and a signing alone is no event.
@pytest.mark.parametrize("text", [
    "Аким Костанайской области Нурлан Ержанов и представители компании «Steppe Glass», делегацию которой "
    "возглавлял Марек Новак, подписали меморандум.",
    "Kostanay Region Governor Nurlan Yerzhanov and Steppe Glass LLP, whose delegation was led by Marek Nowak, "
    "signed a memorandum.",
])
def test_a_delegation_named_only_in_a_signing_at_home_is_no_event(text: str) -> None:
    assert extract(text).visits == []


# Officials named with the leader as the subject of the trip travel with him.
@pytest.mark.parametrize("text,member", [
    ("Находясь с рабочей поездкой в Ташкенте, министр энергетики Казахстана Ерлан Сагын и председатель "
     "правления АО «Самрук-Казына» Нурлан Жакупов провели переговоры с компанией «Uz Solar».", "Нурлан Жакупов"),
    ("On a working visit to Tashkent, Kazakh Invest Chairman Yerlan Sagyn and Samruk-Kazyna Chairman "
     "Nurlan Zhakupov held talks with Uz Solar.", "Nurlan Zhakupov"),
])
def test_officials_joined_to_the_leader_are_participants(text: str, member: str) -> None:
    x = extract(text)
    [visit] = x.visits
    assert visit.type == "visit" and member in names(x, visit.participants)
    assert member not in names(x, visit.met)


# A meeting with no place stated happens at home: in the host's region.
def test_a_meeting_with_no_place_is_in_the_hosts_region() -> None:
    x = extract("Павлодар облысының әкімі Асқар Нұрланов Корея Республикасының елшісі Ким Мин Сумен кездесті.")
    [meeting] = x.visits
    assert meeting.type == "meeting" and x.entities[meeting.location].name == "Павлодар облысы"


# An akimat named with its place is an organization; the place stays the party.
AKIMAT_SIGNS = [
    ("Қостанай облысының әкімдігі мен «Steppe Glass» компаниясы шыны зауытын салу туралы меморандумға қол қойды.",
     "Қостанай облысының әкімдігі", "Қостанай облысы"),
    ("Акимат Костанайской области и компания «Steppe Glass» подписали меморандум о строительстве стекольного "
     "завода.", "Акимат Костанайской области", "Костанайская область"),
    ("The akimat of Kostanay Region and Steppe Glass LLP signed a memorandum on a glass plant.",
     "akimat of Kostanay Region", "Kostanay Region"),
]


@pytest.mark.parametrize("text,akimat,region", AKIMAT_SIGNS)
def test_an_akimat_is_an_organization_and_its_region_the_party(text: str, akimat: str, region: str) -> None:
    x = extract(text)
    assert akimat in {e.name for e in x.entities.values() if e.kind == "organization" and e.subkind == "akimat"}
    assert {n.removesuffix(" LLP") for n in names(x, only_agreement(x).parties)} == {region, "Steppe Glass"}
