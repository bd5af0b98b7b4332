"""Generate a synthetic archive of Russian news files in the seed format, for benchmarks.

The same --seed always gives the same bytes, so timings from two machines or two
commits are measured on the same corpus. Files look like scraped news: header
date, title, lede, photo credit, 3-15 body paragraphs, mostly 1.5-6 KB, with people,
organisations, places, dates and numbers that later NER and date steps will meet.
About 3% of the files carry the damage real archives have (legacy encodings,
BOM, CRLF, cookie banners, bad headers, terminal escapes, markup, binary and
empty files), and 0.5% are byte-for-byte re-posts of an earlier article.

Layout: OUT_DIR/YYYY/MM/NNNNNN_<hex>.txt by header date; a month with more than
1000 files is split into OUT_DIR/YYYY/MM/01, 02, ... so no folder holds more.
"""

import argparse
import datetime
import random
import string
import sys
import time
from collections import Counter
from pathlib import Path

# ---------------------------------------------------------------- vocabulary

MALE_FIRST_NAMES = (
    "Михаил Сергей Игорь Евгений Дмитрий Алексей Андрей Владимир Николай Антон Олег Денис "
    "Максим Роман Кирилл Артем Илья Никита Константин Виктор Юрий Григорий Борис Вадим "
    "Станислав Тимур Руслан Георгий Аркадий Вячеслав Федор Степан Глеб Ярослав Матвей Ильхам "
    "Рахман Геннадий Валерий Эдуард Леонид Анатолий Семен Тимофей Василий Александр"
).split()
FEMALE_FIRST_NAMES = (
    "Мария Анна Елена Ольга Наталья Татьяна Ирина Екатерина Светлана Юлия Алина Дарья Ксения "
    "Валентина Людмила Вероника Полина Виктория Марина Анастасия Галина Алла Эльвира Софья "
    "Кристина Милана Яна Диана Лариса Евгения"
).split()
# Masculine nominative; the inflection class follows from the ending (see `_surname_forms`).
SURNAMES = (
    # -ов/-ев/-ин: fully declined, feminine in -а
    "Белоусов Иванов Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Петров "
    "Волков Соловьев Васильев Зайцев Павлов Семенов Голубев Виноградов Богданов Воробьев "
    "Федоров Михайлов Беляев Тарасов Комаров Орлов Киселев Макаров Андреев Ковалев Ильин "
    "Гусев Титов Кузьмин Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Романов "
    "Захаров Борисов Королев Герасимов Пономарев Григорьев Лазарев Медведев Ершов Никитин "
    "Соболев Рябов Поляков Цветков Данилов Жуков Фролов Журавлев Николаев Крылов Максимов "
    "Сидоров Осипов Федотов Дорофеев Егоров Матвеев Бобров Дмитриев Калинин Анисимов Антонов "
    "Тимофеев Никифоров Веселов Филиппов Марков Большаков Суханов Миронов Ширяев Коновалов "
    "Шестаков Казаков Ефимов Денисов Громов Фомин Давыдов Мельников Щербаков Колесников "
    "Карпов Афанасьев Власов Маслов Тихонов Аксенов Гаврилов Родионов Котов Горбунов Быков "
    "Зуев Третьяков Савельев Рыбаков Суворов Абрамов Воронов Мухин Архипов Трофимов Мартынов "
    "Емельянов Горшков Чернов Овчинников Селезнев Галкин Назаров Лобанов Лукин Потапов "
    "Некрасов Хохлов Жданов Наумов Воронцов Ермаков Дроздов Игнатьев Логинов Сафонов "
    "Капустин Кириллов Моисеев Елисеев Кошелев Ефремов Исаев Евдокимов Калашников Юдин "
    "Кулагин Прохоров Нестеров Харитонов Муравьев Ларионов Зимин Пахомов Шубин Филатов "
    "Крюков Молчанов Гурьев Зиновьев Гришин Кононов Дементьев Ситников Симонов Фадеев "
    "Мамонтов Гуляев Устинов Вишняков Лаврентьев Брагин Корнилов Авдеев Бирюков Шарапов "
    "Щукин Одинцов Сазонов Гордеев Самойлов Князев Уваров Бобылев Доронин Рожков Самсонов "
    "Лихачев Сысоев Фомичев Стрелков Субботин Фокин Блохин Кондратьев Силин Галузин Мустафаев "
    "Алиев Гасанов Мамедов Ахмедов Хабибуллин Сафин Гарипов Абдуллаев Магомедов Кадыров "
    # -ский/-цкий: adjectival
    "Вишневский Садовский Островский Покровский Богуславский Соколовский Жуковский Лозинский "
    "Грановский Раевский Полянский Высоцкий Белецкий Городецкий Малецкий Троицкий Успенский "
    # indeclinable in both genders
    "Картавых Черных Седых Белых Долгих Крученых Толстых Кудрявых Золотых Рыжих Сухих Глухих "
    "Шевченко Матвиенко Коваленко Бондаренко Ткаченко Кравченко Лысенко Марченко Руденко "
    "Савченко Онищенко Приходько Макаренко Живаго Дубяго Дурново Ломидзе Чхеидзе Гелашвили "
    "Кикнадзе Гогия Шония "
    # other consonant endings: declined for men, indeclinable for women
    "Ковальчук Мельник Левчук Бойчук Ткачук Полищук Гусак Гинзбург Штерн Розенберг Шнайдер"
).split()

# Organisations: nominative, genitive, "in/at" phrase. Several are indeclinable abbreviations.
ORGANISATIONS = {
    "politics": (
        ("МИД России", "МИД России", "в МИД России"),
        ("МИД РФ", "МИД РФ", "в МИД РФ"),
        ("Госдума", "Госдумы", "в Госдуме"),
        ("Совет Федерации", "Совета Федерации", "в Совете Федерации"),
        ("Кремль", "Кремля", "в Кремле"),
        ("Минобороны", "Минобороны", "в Минобороны"),
        ("ФСБ", "ФСБ", "в ФСБ"),
        ("ООН", "ООН", "в ООН"),
        ("Совбез ООН", "Совбеза ООН", "в Совбезе ООН"),
        ("НАТО", "НАТО", "в НАТО"),
        ("Евросоюз", "Евросоюза", "в Евросоюзе"),
        ("ОБСЕ", "ОБСЕ", "в ОБСЕ"),
        ("правительство", "правительства", "в правительстве"),
        ("ЦИК", "ЦИК", "в ЦИК"),
    ),
    "economy": (
        ("ЦБ", "ЦБ", "в ЦБ"),
        ("Банк России", "Банка России", "в Банке России"),
        ("Минфин", "Минфина", "в Минфине"),
        ("Минэкономразвития", "Минэкономразвития", "в Минэкономразвития"),
        ("«Газпром»", "«Газпрома»", "в «Газпроме»"),
        ("«Роснефть»", "«Роснефти»", "в «Роснефти»"),
        ("Сбербанк", "Сбербанка", "в Сбербанке"),
        ("ВТБ", "ВТБ", "в ВТБ"),
        ("«Аэрофлот»", "«Аэрофлота»", "в «Аэрофлоте»"),
        ("РЖД", "РЖД", "в РЖД"),
        ("Росстат", "Росстата", "в Росстате"),
        ("Мосбиржа", "Мосбиржи", "на Мосбирже"),
        ("ФАС", "ФАС", "в ФАС"),
        ("«Яндекс»", "«Яндекса»", "в «Яндексе»"),
        ("МВФ", "МВФ", "в МВФ"),
    ),
    "incidents": (
        ("МВД", "МВД", "в МВД"),
        ("МЧС", "МЧС", "в МЧС"),
        ("СК", "СК", "в СК"),
        ("Следственный комитет", "Следственного комитета", "в Следственном комитете"),
        ("Генпрокуратура", "Генпрокуратуры", "в Генпрокуратуре"),
        ("Мосгорсуд", "Мосгорсуда", "в Мосгорсуде"),
        ("ГИБДД", "ГИБДД", "в ГИБДД"),
        ("Росгвардия", "Росгвардии", "в Росгвардии"),
        ("ФСБ", "ФСБ", "в ФСБ"),
        ("Роскомнадзор", "Роскомнадзора", "в Роскомнадзоре"),
        ("Росавиация", "Росавиации", "в Росавиации"),
    ),
    "sports": (
        ("РФС", "РФС", "в РФС"),
        ("КХЛ", "КХЛ", "в КХЛ"),
        ("МОК", "МОК", "в МОК"),
        ("ФИФА", "ФИФА", "в ФИФА"),
        ("УЕФА", "УЕФА", "в УЕФА"),
        ("Минспорт", "Минспорта", "в Минспорте"),
        ("ОКР", "ОКР", "в ОКР"),
        ("РУСАДА", "РУСАДА", "в РУСАДА"),
    ),
    "culture": (
        ("РАН", "РАН", "в РАН"),
        ("МГУ", "МГУ", "в МГУ"),
        ("Минкультуры", "Минкультуры", "в Минкультуры"),
        ("Роскосмос", "Роскосмоса", "в Роскосмосе"),
        ("Эрмитаж", "Эрмитажа", "в Эрмитаже"),
        ("Большой театр", "Большого театра", "в Большом театре"),
        ("Третьяковская галерея", "Третьяковской галереи", "в Третьяковской галерее"),
        ("ВОЗ", "ВОЗ", "в ВОЗ"),
        ("Минпросвещения", "Минпросвещения", "в Минпросвещения"),
        ("ЮНЕСКО", "ЮНЕСКО", "в ЮНЕСКО"),
    ),
}
# Places: nominative, genitive, "in" phrase, instrumental.
PLACES = (
    ("Москва", "Москвы", "в Москве", "Москвой"),
    ("Санкт-Петербург", "Санкт-Петербурга", "в Санкт-Петербурге", "Санкт-Петербургом"),
    ("Баку", "Баку", "в Баку", "Баку"),
    ("Киев", "Киева", "в Киеве", "Киевом"),
    ("Минск", "Минска", "в Минске", "Минском"),
    ("Казань", "Казани", "в Казани", "Казанью"),
    ("Новосибирск", "Новосибирска", "в Новосибирске", "Новосибирском"),
    ("Екатеринбург", "Екатеринбурга", "в Екатеринбурге", "Екатеринбургом"),
    ("Владивосток", "Владивостока", "во Владивостоке", "Владивостоком"),
    ("Сочи", "Сочи", "в Сочи", "Сочи"),
    ("Калининград", "Калининграда", "в Калининграде", "Калининградом"),
    ("Красноярск", "Красноярска", "в Красноярске", "Красноярском"),
    ("Нижний Новгород", "Нижнего Новгорода", "в Нижнем Новгороде", "Нижним Новгородом"),
    ("Ростов-на-Дону", "Ростова-на-Дону", "в Ростове-на-Дону", "Ростовом-на-Дону"),
    ("Самара", "Самары", "в Самаре", "Самарой"),
    ("Уфа", "Уфы", "в Уфе", "Уфой"),
    ("Тбилиси", "Тбилиси", "в Тбилиси", "Тбилиси"),
    ("Ереван", "Еревана", "в Ереване", "Ереваном"),
    ("Астана", "Астаны", "в Астане", "Астаной"),
    ("Россия", "России", "в России", "Россией"),
    ("Украина", "Украины", "на Украине", "Украиной"),
    ("Белоруссия", "Белоруссии", "в Белоруссии", "Белоруссией"),
    ("Казахстан", "Казахстана", "в Казахстане", "Казахстаном"),
    ("Азербайджан", "Азербайджана", "в Азербайджане", "Азербайджаном"),
    ("Армения", "Армении", "в Армении", "Арменией"),
    ("Турция", "Турции", "в Турции", "Турцией"),
    ("Китай", "Китая", "в Китае", "Китаем"),
    ("США", "США", "в США", "США"),
    ("Германия", "Германии", "в Германии", "Германией"),
    ("Франция", "Франции", "во Франции", "Францией"),
    ("Великобритания", "Великобритании", "в Великобритании", "Великобританией"),
    ("Япония", "Японии", "в Японии", "Японией"),
    ("Индия", "Индии", "в Индии", "Индией"),
    ("Иран", "Ирана", "в Иране", "Ираном"),
    ("Израиль", "Израиля", "в Израиле", "Израилем"),
    ("Египет", "Египта", "в Египте", "Египтом"),
    ("ОАЭ", "ОАЭ", "в ОАЭ", "ОАЭ"),
    ("Крым", "Крыма", "в Крыму", "Крымом"),
    ("Подмосковье", "Подмосковья", "в Подмосковье", "Подмосковьем"),
    ("Курская область", "Курской области", "в Курской области", "Курской областью"),
    ("Якутия", "Якутии", "в Якутии", "Якутией"),
    ("Дагестан", "Дагестана", "в Дагестане", "Дагестаном"),
)
# Sports clubs: nominative, genitive, instrumental, "at the club" phrase.
TEAMS = (
    ("«Спартак»", "«Спартака»", "«Спартаком»", "в «Спартаке»"), ("ЦСКА", "ЦСКА", "ЦСКА", "в ЦСКА"),
    ("«Зенит»", "«Зенита»", "«Зенитом»", "в «Зените»"), ("«Динамо»", "«Динамо»", "«Динамо»", "в «Динамо»"),
    ("«Локомотив»", "«Локомотива»", "«Локомотивом»", "в «Локомотиве»"),
    ("«Краснодар»", "«Краснодара»", "«Краснодаром»", "в «Краснодаре»"),
    ("«Ростов»", "«Ростова»", "«Ростовом»", "в «Ростове»"), ("«Рубин»", "«Рубина»", "«Рубином»", "в «Рубине»"),
    ("СКА", "СКА", "СКА", "в СКА"), ("«Ак Барс»", "«Ак Барса»", "«Ак Барсом»", "в «Ак Барсе»"),
    ("«Авангард»", "«Авангарда»", "«Авангардом»", "в «Авангарде»"),
    ("«Металлург»", "«Металлурга»", "«Металлургом»", "в «Металлурге»"),
    ("«Ахмат»", "«Ахмата»", "«Ахматом»", "в «Ахмате»"),
    ("«Крылья Советов»", "«Крыльев Советов»", "«Крыльями Советов»", "в «Крыльях Советов»"),
)
# Roles: nominative and genitive; {org} is the article's organisation in the genitive.
ROLES = {
    "politics": (
        ("глава {org}", "главы {org}"), ("заместитель главы {org}", "заместителя главы {org}"),
        ("официальный представитель {org}", "официального представителя {org}"),
        ("пресс-секретарь {org}", "пресс-секретаря {org}"), ("депутат Госдумы", "депутата Госдумы"),
        ("сенатор", "сенатора"), ("политолог", "политолога"), ("посол", "посла"),
        ("губернатор", "губернатора"), ("постпред", "постпреда"),
    ),
    "economy": (
        ("глава {org}", "главы {org}"), ("председатель {org}", "председателя {org}"),
        ("аналитик {org}", "аналитика {org}"), ("экономист", "экономиста"),
        ("финансовый аналитик", "финансового аналитика"), ("министр финансов", "министра финансов"),
        ("директор по инвестициям", "директора по инвестициям"),
        ("главный экономист {org}", "главного экономиста {org}"),
    ),
    "incidents": (
        ("представитель {org}", "представителя {org}"),
        ("официальный представитель {org}", "официального представителя {org}"),
        ("адвокат", "адвоката"), ("следователь", "следователя"), ("очевидец", "очевидца"),
        ("глава района", "главы района"), ("прокурор", "прокурора"), ("мэр", "мэра"),
    ),
    "sports": (
        ("главный тренер", "главного тренера"), ("нападающий", "нападающего"), ("защитник", "защитника"),
        ("полузащитник", "полузащитника"), ("вратарь", "вратаря"), ("президент {org}", "президента {org}"),
        ("капитан сборной", "капитана сборной"), ("олимпийский чемпион", "олимпийского чемпиона"),
    ),
    "culture": (
        ("режиссер", "режиссера"), ("директор {org}", "директора {org}"), ("художник", "художника"),
        ("актер", "актера"), ("научный сотрудник {org}", "научного сотрудника {org}"),
        ("президент {org}", "президента {org}"), ("писатель", "писателя"), ("куратор выставки", "куратора выставки"),
    ),
}
MEDIA = ("ТАСС", "РИА Новости", "«Интерфакс»", "РБК", "«Коммерсантъ»", "«Известия»", "Reuters",
         "Bloomberg", "«Ведомости»", "«Фонтанка»", "Mash", "«Российская газета»", "НТВ", "«Лента.ру»")
MEDIA_DATIVE = ("ТАСС", "РИА Новости", "«Интерфаксу»", "РБК", "«Коммерсанту»", "«Известиям»",
                "«Ведомостям»", "НТВ", "«Российской газете»", "«Ленте.ру»")
AGENCIES = ("Global Look Press", "РИА Новости", "ТАСС", "Reuters", "AP", "AFP", "Shutterstock",
            "Getty Images", "«Коммерсантъ»", "Агентство «Москва»", "EPA", "«Известия»")
FESTIVALS = ("«Кинотавр»", "«Золотая маска»", "«Ночь музеев»", "«Белые ночи»", "«Дикая мята»",
             "«Интерпресскон»", "«Зимние грезы»", "«Русская зима»")
JOURNALS = ("Nature", "Science", "The Lancet", "Physical Review Letters", "«Вестник РАН»", "Cell")

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря")
MONTHS_PREPOSITIONAL = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                        "сентябре", "октябре", "ноябре", "декабре")
WEEKDAYS_ACCUSATIVE = ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу",
                       "в субботу", "в воскресенье")
RELATIVE_DATES = ("вчера", "сегодня", "накануне", "на прошлой неделе", "в минувшие выходные",
                  "в прошлом месяце", "в прошлом году", "на этой неделе", "позавчера", "ночью",
                  "в начале недели", "до конца года", "в ближайшие дни")

# Counted nouns: forms after 1, after 2-4, after 5-20 (the last is also the genitive plural).
PEOPLE_NOUNS = (
    ("человек", "человека", "человек"), ("россиянин", "россиянина", "россиян"),
    ("пассажир", "пассажира", "пассажиров"), ("сотрудник", "сотрудника", "сотрудников"),
    ("участник", "участника", "участников"), ("ребенок", "ребенка", "детей"),
    ("турист", "туриста", "туристов"), ("военнослужащий", "военнослужащих", "военнослужащих"),
    ("жителя", "жителя", "жителей"), ("студент", "студента", "студентов"),
)
CREW_COUNTS = ("пожарный расчет", "пожарных расчета", "пожарных расчетов")
FLIGHT_COUNTS = ("рейс", "рейса", "рейсов")
ROUND_COUNTS_GENITIVE = ("тура", "туров", "туров")
MONTH_COUNTS = ("месяц", "месяца", "месяцев")
YEAR_COUNTS = ("год", "года", "лет")
MINUTE_COUNTS = ("минуту", "минуты", "минут")
POINT_COUNTS = ("очко", "очка", "очков")
HOUR_COUNTS = ("час", "часа", "часов")
DEPUTY_COUNTS = ("депутат", "депутата", "депутатов")
MONEY_UNITS = ("тыс. рублей", "млн рублей", "млрд рублей", "трлн рублей", "млн долларов",
               "млрд долларов", "млн евро")
CRIMINAL_CODE_ARTICLES = ("105", "111", "158", "159", "160", "162", "163", "205", "228.1", "264", "275", "290", "291")
PERIODS = ("первое полугодие", "первый квартал", "девять месяцев", "прошлый год", "январь — март",
           "третий квартал")

# Sentence templates. Fields: who/whom_gen/whom_dat/whom_ins/a/his refer to this sentence's
# person (full name with role on first mention, surname after); other* to a second person;
# org/place/team with a 2 to a second one; when = a date phrase; the rest are numbers.
TITLES = {
    "politics": (
        "{org_in} призвали {demand}", "{surname} заявил{a} о {statement_topic}",
        "{place_in} задержали {people_gen}", "{surname} и {other_surname} обсудили ситуацию {place_in}",
        "{org_in} ответили на заявление {whom_gen_surname} о {statement_topic}",
        "Госдума приняла закон о {law_topic}", "{org_in} прокомментировали визит {whom_gen_surname} {place_in}",
    ),
    "economy": (
        "ЦБ сохранил ключевую ставку на уровне {pct}", "Курс доллара превысил {rate} рубля",
        "Инфляция {place_in} замедлилась до {pct}", "Акции {org_gen} подешевели на {pct}",
        "{org_in} оценили ущерб от санкций в {money}", "Выручка {org_gen} выросла на {pct}",
        "{surname} предсказал{a} рост цен на {goods}",
    ),
    "incidents": (
        "{place_in} {people} пострадали при пожаре", "Суд арестовал фигуранта дела о мошенничестве на {money}",
        "{place_in} задержали подозреваемого в {crime}", "При ДТП {place_in} погибли {people}",
        "{org_in} возбудили дело после обрушения дома {place_in}", "{surname} получил{a} {years} колонии",
    ),
    "sports": (
        "Матч {team_gen} и {team2_gen} завершился со счетом {score}",
        "{surname} забил{a} победный гол в матче с {team_ins}",
        "{surname} продлил{a} контракт с {team_ins} до {future_year} года",
        "{team_in} объявили о назначении {whom_gen_surname} главным тренером",
        "{org_in} отстранили {people_gen} от соревнований",
    ),
    "culture": (
        "{place_in} открылась выставка к юбилею {whom_gen_surname}", "Ученые {org_gen} обнаружили {discovery}",
        "Фестиваль {festival} пройдет {place_in} {when_range}", "{surname} представил{a} новый фильм {place_in}",
        "{org_in} назвали самые популярные профессии {future_year} года",
    ),
}
LEDES = {
    "politics": (
        "{surname} заявил{a} о необходимости {demand} после переговоров {place_in}.",
        "{org_in} ожидают ответа {place_gen} на предложение о {statement_topic}.",
        "Переговоры {place_in} завершились без подписания итогового документа.",
        "{surname} и {other_surname} провели встречу {when} и обсудили {agenda}.",
    ),
    "economy": (
        "Аналитики ожидают, что до конца года показатель изменится на {pct}.",
        "По итогам {period} выручка {org_gen} составила {money}.",
        "Решение регулятора совпало с ожиданиями большинства опрошенных аналитиков.",
        "{surname} считает, что рост цен на {goods} продолжится до конца года.",
    ),
    "incidents": (
        "Инцидент произошел {when} {place_in}, пострадали {people}.",
        "По версии следствия, ущерб от действий обвиняемых превысил {money}.",
        "На месте работают {crews}, причины происшествия выясняются.",
        "{surname} был{a} задержан{a} {when} {place_in}.",
    ),
    "sports": (
        "Встреча прошла {when} {place_in} и завершилась со счетом {score}.",
        "{surname} провел{a} на поле {minutes} и отметил{sya} результативной передачей.",
        "После этого матча у {team_gen} {points}.",
        "Контракт игрока с {team_ins} рассчитан до {future_year} года.",
    ),
    "culture": (
        "Экспозиция будет открыта {when_range}, вход для школьников бесплатный.",
        "Результаты исследования опубликованы в журнале {journal}.",
        "На площадке {org_gen} соберутся более {people_gen}.",
        "{surname} рассказал{a} о работе над проектом, которая заняла {months}.",
    ),
}
SENTENCES = {
    "politics": (
        "{who} {when} провел{a} переговоры с {other_ins}.",
        "По словам {whom_gen}, {place} и {place2} ведут предметный диалог по ряду вопросов.",
        "{who} напомнил{a}, что предыдущий раунд консультаций прошел {place_in} {when}.",
        "В ходе встречи стороны обсудили {agenda}.",
        "{who} подчеркнул{a} необходимость скорейшего урегулирования ситуации {place_in}.",
        "{when} {place_in} были задержаны {people}.",
        "Законопроект был внесен в Госдуму {when}.",
        "Документ поддержали {deputies}, против проголосовали {deputies2}.",
        "{who} также отметил{a}, что работа в этом направлении будет продолжена.",
        "Стороны договорились провести следующий раунд консультаций {when_range}.",
        "Как сообщали СМИ, решение об этом было принято {when}.",
        "{who} добавил{a}, что {org_in} готовы к диалогу с {place_ins}.",
        "{when} {org_in} выразили протест в связи с высылкой {people_gen}.",
        "По {his} словам, речь идет о возвращении {people_gen} на родину.",
        "{who} находится {place_in} с рабочим визитом до {day_month}.",
        "Во встрече также принял{other_a} участие {other}.",
        "{who} не исключил{a}, что новые ограничения могут вступить в силу {when_range}.",
        "Соответствующее заявление {org_in} распространили {when}.",
        "Переговоры продолжались {hours}.",
        "{who} побывал{a} {place_in} {when}, это был {his} первый визит в регион.",
        "В сентябре прошлого года {org_in} уже выступали с подобной инициативой.",
        "В документе отмечается, что {people} покинули зону конфликта за последние сутки.",
        "Инициатива вызвала споры среди депутатов, сообщает {media}.",
        "{who} призвал{a} коллег из {place_gen} «не поддаваться эмоциям».",
    ),
    "economy": (
        "По данным Росстата, инфляция {when} составила {pct}.",
        "Курс доллара на Московской бирже {when} вырос до {rate} рубля.",
        "Выручка {org_gen} за {period} выросла на {pct} и достигла {money}.",
        "Банк России {when} сохранил ключевую ставку на уровне {pct} годовых.",
        "Объем инвестиций в проект оценивается в {money}.",
        "Акции {org_gen} по итогам торгов подешевели на {pct}.",
        "{who} считает, что в ближайшие месяцы ситуация на рынке стабилизируется.",
        "По оценке аналитиков, спрос на жилье {place_in} снизился на {pct}.",
        "Экспорт зерна {when} составил {tonnes}.",
        "Дефицит бюджета за {period} достиг {money}, или {pct} ВВП.",
        "{who} отметил{a}, что цены на {goods} за год выросли на {pct}.",
        "{org_in} {when} объявили о выплате дивидендов в размере {rate} рубля на акцию.",
        "Товарооборот между {place_ins} и {place2_ins} {when} увеличился на {pct}.",
        "Средняя зарплата {place_in} составила {salary} рублей.",
        "Годом ранее аналогичный показатель составлял {pct}.",
        "Ранее {org_in} прогнозировали замедление роста экономики до {pct}.",
        "{who} обратил{a} внимание на рост просроченной задолженности по кредитам.",
        "Чистая прибыль {org_gen} по МСФО за {period} снизилась на {pct}.",
        "Индекс Мосбиржи по итогам торгов опустился на {pct}.",
        "Число заявок на ипотеку {when} сократилось почти в {times} раза.",
        "Как пояснил{a} {who}, основной вклад в рост цен внесли {goods} и услуги.",
    ),
    "incidents": (
        "{when} {place_in} произошел пожар на складе площадью {area} кв. м.",
        "В результате ДТП пострадали {people}.",
        "Возбуждено уголовное дело по статье {criminal_article} УК РФ.",
        "{who} был{a} задержан{a} {when}.",
        "Суд избрал {whom_dat} меру пресечения в виде ареста сроком на {months}.",
        "На месте работают {crews}.",
        "По предварительным данным, причиной стало короткое замыкание.",
        "Скорость автомобиля превышала {speed} км/ч.",
        "Ущерб оценивается в {money}.",
        "Из-за непогоды {place_in} {when} были задержаны или отменены {flights}.",
        "Сообщение о происшествии поступило в {clock} по московскому времени.",
        "Из здания эвакуировали {people_gen}.",
        "{who} свою вину не признал{a}.",
        "Суд назначил {whom_dat} {years} лишения свободы.",
        "Происшествие случилось в {distance} км от {place_gen}.",
        "{org_in} проводят проверку, ее результаты обещают опубликовать до {day_month}.",
        "Пострадавших доставили в больницу, состояние {people_gen} оценивается как тяжелое.",
        "По словам очевидцев, возгорание началось около {clock}.",
        "Следствие устанавливает всех участников преступной группы.",
        "{who} заявил{a}, что намерен{a} обжаловать решение суда.",
        "Движение на участке трассы было перекрыто на {hours}.",
        "Материалы дела направлены в суд {place_gen}.",
        "Задержанным грозит до {max_term} лет лишения свободы.",
    ),
    "sports": (
        "Встреча {team_gen} и {team2_gen} завершилась со счетом {score}.",
        "Победный гол на {minute}-й минуте забил{a} {who}.",
        "{who} провел{a} на поле {minutes}.",
        "После {rounds} у {team_gen} {points}.",
        "Команда занимает {rank}-е место в турнирной таблице.",
        "Следующий матч {team} проведет {day_month} против {team2_gen}.",
        "Счет в серии стал {score}.",
        "Соревнования пройдут {when_range}.",
        "{who} перебрал{sya} в {team} {when}.",
        "Сумма трансфера составила {money}.",
        "Ранее {org_in} сообщили, что рассматривают вопрос о допуске {people_gen}.",
        "За {team} {who} сыграл{a} {matches} матчей и забил{a} {goals} голов.",
        "В составе {team_gen} отличились {surname} и {other_surname}.",
        "Главный тренер {team_gen} назвал результат закономерным.",
        "Матч посетили более {fans} зрителей.",
        "{who} был{a} удален{a} с поля на {minute}-й минуте.",
        "Ранее команда потерпела три поражения подряд.",
        "Контракт с клубом рассчитан до {future_year} года с возможностью продления.",
        "В следующем туре соперником команды станет {team2}.",
    ),
    "culture": (
        "Фестиваль {festival} пройдет {place_in} {when_range}.",
        "Выставка продлится до {day_month}.",
        "В мероприятии примут участие более {people_gen}.",
        "Исследование опубликовано в журнале {journal}.",
        "Работа над проектом стоимостью {money} началась {when}.",
        "По данным {org_gen}, число посетителей выросло на {pct}.",
        "{who} работал{a} над картиной {months}.",
        "В экспозицию вошли более {exhibits} работ из частных коллекций.",
        "Премьера спектакля состоялась {when} {place_in}.",
        "{who} рассказал{a}, что идея проекта появилась {when}.",
        "Ученые {org_gen} изучили данные {people_gen} за {years}.",
        "Всего за время работы выставку посетили более {fans} человек.",
        "{who} получил{a} за эту работу несколько международных премий.",
        "Билеты на премьеру были распроданы за {hours}.",
        "Картина создавалась в {decade} годах и долгое время хранилась {place_in}.",
        "Для проекта были отреставрированы {exhibits} экспонатов.",
        "{who} окончил{a} МГУ в {year} году.",
        "По словам {whom_gen}, эксперимент повторят {when_range}.",
    ),
    "any": (
        "Об этом говорится на сайте {org_gen}.",
        "Об этом сообщает {media}.",
        "Об этом сообщает {media} со ссылкой на источник {org_in}.",
        "Информацию подтвердили {org_in}.",
        "Подробности пока не сообщаются.",
        "{org} пока не раскрывает подробностей.",
        "{who} отказал{sya} от комментариев.",
        "{when} {who} находил{sya} {place_in}.",
        "Как уточняет {media}, событие произошло {when}.",
        "Позднее эту информацию прокомментировал{a} {who}.",
        "{org_in} на запрос журналистов не ответили.",
        "Видео с места событий появилось в Telegram-канале {media}.",
    ),
}
QUOTES = (
    "Мы внимательно следим за развитием ситуации",
    "Решение будет принято в ближайшее время",
    "Никаких угроз для жителей нет",
    "Ситуация находится под контролем, все службы работают в штатном режиме",
    "Российская сторона рассчитывает на конструктивный подход партнеров",
    "Это был очень тяжелый матч, но команда показала характер",
    "Рынок уже отыграл это решение, резких колебаний мы не ожидаем",
    "Мы ожидаем, что инфляция замедлится до {pct} к концу года",
    "Все пострадавшие получают необходимую помощь",
    "Мы готовы к диалогу, но не на любых условиях",
    "Работа над проектом заняла {months}, и мы рады, что зрители наконец увидят результат",
    "Ранее подобных случаев {place_in} не было",
    "Наша позиция остается неизменной",
    "Таких результатов мы не ждали даже в самых смелых прогнозах",
    "Мы рассчитываем завершить работу до {day_month}",
    "Это решение назрело давно",
    "Говорить о каких-либо сроках пока преждевременно",
    "Мы будем добиваться справедливого решения в суде",
    "У нас есть все необходимые ресурсы",
)
QUOTE_ATTRIBUTIONS = (
    "заявил{a} {who}", "отметил{a} {who}", "подчеркнул{a} {who}", "говорится в сообщении {org_gen}",
    "рассказал{a} {who} {media_dat}", "приводит слова {whom_gen} {media}", "добавил{a} {who}",
)
CLOSERS = (
    "Ранее {org_in} прокомментировали ситуацию {place_in}.",
    "Ранее сообщалось о задержании {people_gen} {place_in}.",
    "Ранее {who} допустил{a} пересмотр договоренностей {when}.",
    "Ранее {org_in} обсуждали эти планы, сообщает {media}.",
    "Ранее {who} ответил{a} на вопрос о сроках завершения работы.",
)
DEMANDS = ("ускорить обмен задержанными", "не допустить эскалации конфликта", "провести независимое расследование",
           "возобновить авиасообщение", "отменить визовые ограничения", "освободить задержанных журналистов")
STATEMENT_TOPICS = ("необходимости переговоров", "готовности к диалогу", "рисках для экономики", "новых санкциях",
                    "продлении моратория", "переносе выборов", "гуманитарной паузе", "безвизовом режиме")
LAW_TOPICS = ("маркетплейсах", "защите персональных данных", "туристическом налоге", "платформенной занятости",
              "запрете продажи энергетиков детям", "цифровом рубле")
AGENDAS = ("вопросы двусторонней повестки", "торгово-экономическое сотрудничество", "ситуацию на Ближнем Востоке",
           "транспортную связанность региона", "обмен пленными", "поставки энергоносителей")
GOODS = ("бензин", "жилье", "продукты", "автомобили", "лекарства", "авиабилеты", "сахар", "электронику")
CRIMES = ("убийстве", "краже", "мошенничестве", "получении взятки", "поджоге", "контрабанде")
DISCOVERIES = ("новый вид бактерий", "древнее поселение", "неизвестную рукопись", "новую экзопланету",
               "способ замедлить старение клеток")
BANNERS = (
    "Сайт использует файлы cookies. Оставаясь на сайте, вы соглашаетесь с политикой конфиденциальности",
    "Мы используем куки, чтобы сайт работал лучше. Продолжая просмотр, вы принимаете условия",
    "This website uses cookies. By continuing to browse you accept our privacy policy",
    "Принять все cookies",
)
TERMINAL_ESCAPES = (
    "\x1b[31m", "\x1b[0m", "\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x1b]8;;https://example.com\x1b\\",
    "\u009b1;31m", "\x1b[?1049h", "\x1b[6n", "\x07", "\x08\x08\x08", "\x1bP+q544e\x1b\\",
)
# Binary files behind a .txt name: PNG, JPEG, PDF, gzip, ZIP, and bare random bytes.
BINARY_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"%PDF-1.4\n", b"\x1f\x8b\x08", b"PK\x03\x04", b"")
MARKUP_LIKE = ("[/]", "[@click=app.quit]", "[bold red]", "[/bold red]", "[link=file:///etc/passwd]",
               "[b]", "[/link]", "[@click=screen.dismiss]", "\\[x]", "[reverse]")
# KOI8-R and cp866 have no «», dashes or №: archives in them were typed with ASCII stand-ins.
ASCII_PUNCTUATION = str.maketrans({"«": '"', "»": '"', "—": "-", "–": "-", "№": "N"})
LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                 "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(), strict=True))

# Noise kinds and their share of all files (3.0% together), then re-posted duplicates.
NOISE_SHARES = {
    "cp1251": 0.004, "koi8_r": 0.0025, "cp866": 0.0015, "utf8_bom": 0.003, "crlf": 0.004,
    "banner": 0.004, "no_header": 0.002, "bad_header": 0.002, "escapes": 0.002, "markup": 0.002,
    "binary": 0.0015, "empty": 0.0015,
}
DUPLICATE_SHARE = 0.005
FIRST_DATE = datetime.date(2015, 1, 1)
LAST_DATE = datetime.date(2025, 12, 31)
MAX_FILES_PER_FOLDER = 1000
TARGET_BYTES = (1500, 6000)
BODY_PARAGRAPHS = (3, 15)

# ---------------------------------------------------------------- people


def _plural(count: int, forms: tuple[str, str, str]) -> str:
    """Russian plural after a cardinal: 1 рейс, 3 рейса, 11 рейсов."""
    if count % 10 == 1 and count % 100 != 11:
        return forms[0]
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return forms[1]
    return forms[2]


def _first_name_forms(name: str, female: bool) -> tuple[str, str, str, str]:
    """Nominative, genitive, dative, instrumental of a first name."""
    if name.endswith(("ия", "ья")):
        stem = name[:-1]
        return name, stem + "и", stem + ("и" if name.endswith("ия") else "е"), stem + "ей"
    if name.endswith("а"):
        stem = name[:-1]
        genitive = stem + ("и" if stem[-1] in "гкхжшчщ" else "ы")
        return name, genitive, stem + "е", stem + "ой"
    if name.endswith("я"):
        stem = name[:-1]
        return name, stem + "и", stem + "е", stem + "ей"
    if female:
        return name, name, name, name
    if name.endswith(("й", "ь")):
        stem = name[:-1]
        return name, stem + "я", stem + "ю", stem + "ем"
    return name, name + "а", name + "у", name + "ом"


def _surname_forms(surname: str, female: bool) -> tuple[str, str, str, str]:
    """Nominative, genitive, dative, instrumental; indeclinable surnames stay as they are."""
    if surname.endswith(("ых", "их", "ко", "аго", "яго", "ово", "дзе", "швили", "ия")):
        return surname, surname, surname, surname
    if surname.endswith(("ский", "цкий")):
        stem = surname[:-2]
        if female:
            return stem + "ая", stem + "ой", stem + "ой", stem + "ой"
        return surname, stem + "ого", stem + "ому", stem + "им"
    if surname.endswith(("ов", "ев", "ин", "ын")):
        if female:
            return surname + "а", surname + "ой", surname + "ой", surname + "ой"
        return surname, surname + "а", surname + "у", surname + "ым"
    if female:
        return surname, surname, surname, surname
    return surname, surname + "а", surname + "у", surname + "ом"


def _latin(text: str) -> str:
    """A news-agency style transliteration, for photo credits like 'Sergei Ivanov/Reuters'."""
    out = []
    for char in text:
        latin = LATIN.get(char.lower(), char)
        latin = "" if latin == "-" else latin
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


class Person:
    """A named person with the case forms and gender agreement the templates need."""

    __slots__ = ("first", "last", "female", "role")

    def __init__(self, rng: random.Random, role: tuple[str, str]) -> None:
        self.female = rng.random() < 0.3
        first = rng.choice(FEMALE_FIRST_NAMES if self.female else MALE_FIRST_NAMES)
        self.first = _first_name_forms(first, self.female)
        self.last = _surname_forms(rng.choice(SURNAMES), self.female)
        self.role = role

    def full(self, case: int) -> str:
        return f"{self.first[case]} {self.last[case]}"


# ---------------------------------------------------------------- articles


def _compile(template: str) -> list[tuple[str, str | None]]:
    """Split a template once into (literal, field) pairs, so filling it is a plain loop."""
    return [(literal, field) for literal, field, _, _ in string.Formatter().parse(template)]


def _compile_all(templates: dict[str, tuple[str, ...]]) -> dict[str, list]:
    return {topic: [_compile(template) for template in group] for topic, group in templates.items()}


TOPICS = tuple(TITLES)
_TITLES = _compile_all(TITLES)
_LEDES = _compile_all(LEDES)
_SENTENCES = _compile_all(SENTENCES)
_QUOTES = [_compile(template) for template in QUOTES]
_ATTRIBUTIONS = [_compile(template) for template in QUOTE_ATTRIBUTIONS]
_CLOSERS = [_compile(template) for template in CLOSERS]


def _capitalize(text: str) -> str:
    """Upper-case the first letter, looking past an opening «; a sentence opening with a number stays."""
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1:]
        if char.isdigit():
            return text
    return text


def _decimal(value: float) -> str:
    """Russian decimal comma, whole numbers without one: 12,7 and 12."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text.replace(".", ",")


class ArticleWriter:
    """Fills templates for one article: a topic, a small cast, its organisations and places.

    Each `_field_<name>` method produces one template field; the cast is reused so
    people are introduced once with their role and then named by surname, as in news.
    """

    def __init__(self, rng: random.Random, date: datetime.date) -> None:
        self.rng = rng
        self.date = date
        self.topic = rng.choice(TOPICS)
        self.orgs = rng.sample(ORGANISATIONS[self.topic], 2)
        self.places = rng.sample(PLACES, 2)
        self.teams = rng.sample(TEAMS, 2)
        roles = ROLES[self.topic]
        self.cast = [Person(rng, rng.choice(roles)) for _ in range(rng.randint(2, 4))]
        self.introduced: set[int] = set()
        self.used_templates: set[int] = set()
        # The title and lede are about the first two people; body sentences pick their own.
        self.person, self.other = self.cast[0], self.cast[1]

    def render(self) -> tuple[str, str, str | None, list[str]]:
        """Title, lede, photo credit (or None) and body paragraphs."""
        rng = self.rng
        title = _capitalize(self._fill(rng.choice(_TITLES[self.topic])))
        lede = _capitalize(self._fill(rng.choice(_LEDES[self.topic])))
        credit = self._credit()
        paragraph_count = rng.randint(*BODY_PARAGRAPHS)
        # Cyrillic takes about two UTF-8 bytes a character.
        paragraph_budget = rng.randint(*TARGET_BYTES) // 2 // paragraph_count
        paragraphs = []
        for index in range(paragraph_count):
            if index and rng.random() < 0.18:
                paragraphs.append(self._quote_paragraph())
            elif index == paragraph_count - 1 and rng.random() < 0.5:
                paragraphs.append(self._sentence(_CLOSERS))
            else:
                paragraphs.append(self._narrative_paragraph(paragraph_budget))
        return title, lede, credit, paragraphs

    def _narrative_paragraph(self, budget_chars: int) -> str:
        sentences, length = [], 0
        topical, shared = _SENTENCES[self.topic], _SENTENCES["any"]
        while length < budget_chars and len(sentences) < 6:
            sentence = self._sentence(shared if self.rng.random() < 0.15 else topical)
            sentences.append(sentence)
            length += len(sentence) + 1
        return " ".join(sentences)

    def _quote_paragraph(self) -> str:
        self._pick_people()
        quote = _capitalize(self._fill(self._unused(_QUOTES)))
        return f"«{quote}», — {self._fill(self.rng.choice(_ATTRIBUTIONS))}."

    def _sentence(self, group: list) -> str:
        self._pick_people()
        return _capitalize(self._fill(self._unused(group)))

    def _unused(self, group: list) -> list:
        """A template not yet used in this article when one turns up in a few draws, as an editor would."""
        for _ in range(4):
            template = self.rng.choice(group)
            if id(template) not in self.used_templates:
                break
        self.used_templates.add(id(template))
        return template

    def _pick_people(self) -> None:
        """This sentence's person and a different second one."""
        index = self.rng.randrange(len(self.cast))
        self.person = self.cast[index]
        self.other = self.cast[index - 1]

    def _fill(self, parts: list[tuple[str, str | None]]) -> str:
        pieces = []
        for literal, field in parts:
            pieces.append(literal)
            if field is not None:
                pieces.append(getattr(self, "_field_" + field)())
        return "".join(pieces)

    def _credit(self) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return None
        agency = rng.choice(AGENCIES)
        if roll < 0.2:
            return f"Фото: {rng.choice((agency, 'пресс-служба ' + self.orgs[0][1]))}"
        if roll < 0.3:
            return f"© {agency}"
        photographer = Person(rng, ("", ""))
        name = photographer.full(0)
        if agency.isascii():
            name = _latin(name)
        return f"{name}/{agency}"

    # --- people
    def _mention(self, person: Person, case: int, with_role: bool) -> str:
        """Role and full name the first time a person appears in the body, surname after."""
        key = id(person)
        if key in self.introduced:
            return person.last[case]
        self.introduced.add(key)
        if with_role and case <= 1:
            role = person.role[case].format(org=self.orgs[0][1])
            return f"{role} {person.full(case)}"
        return person.full(case)

    def _field_who(self) -> str:
        return self._mention(self.person, 0, True)

    def _field_whom_gen(self) -> str:
        return self._mention(self.person, 1, True)

    def _field_whom_dat(self) -> str:
        return self._mention(self.person, 2, False)

    def _field_other(self) -> str:
        return self._mention(self.other, 0, True)

    def _field_other_ins(self) -> str:
        return self._mention(self.other, 3, False)

    def _field_surname(self) -> str:
        return self.person.last[0]

    def _field_other_surname(self) -> str:
        return self.other.last[0]

    def _field_whom_gen_surname(self) -> str:
        return self.person.last[1]

    def _field_a(self) -> str:
        return "а" if self.person.female else ""

    def _field_sya(self) -> str:
        """Reflexive past ending: отказался / отказалась."""
        return "ась" if self.person.female else "ся"

    def _field_other_a(self) -> str:
        return "а" if self.other.female else ""

    def _field_his(self) -> str:
        return "ее" if self.person.female else "его"

    # --- organisations, places, teams
    def _field_org(self) -> str:
        return self.orgs[0][0]

    def _field_org_gen(self) -> str:
        return self.rng.choice(self.orgs)[1]

    def _field_org_in(self) -> str:
        return self.rng.choice(self.orgs)[2]

    def _field_place(self) -> str:
        return self.places[0][0]

    def _field_place2(self) -> str:
        return self.places[1][0]

    def _field_place_gen(self) -> str:
        return self.places[0][1]

    def _field_place_in(self) -> str:
        return self.rng.choice(self.places)[2]

    def _field_place_ins(self) -> str:
        return self.places[0][3]

    def _field_place2_ins(self) -> str:
        return self.places[1][3]

    def _field_team(self) -> str:
        return self.teams[0][0]

    def _field_team_gen(self) -> str:
        return self.teams[0][1]

    def _field_team2_gen(self) -> str:
        return self.teams[1][1]

    def _field_team_ins(self) -> str:
        return self.teams[0][2]

    def _field_team2(self) -> str:
        return self.teams[1][0]

    def _field_team_in(self) -> str:
        return self.teams[0][3]

    def _field_media(self) -> str:
        return self.rng.choice(MEDIA)

    def _field_media_dat(self) -> str:
        return self.rng.choice(MEDIA_DATIVE)

    def _field_festival(self) -> str:
        return self.rng.choice(FESTIVALS)

    def _field_journal(self) -> str:
        return self.rng.choice(JOURNALS)

    def _field_demand(self) -> str:
        return self.rng.choice(DEMANDS)

    def _field_statement_topic(self) -> str:
        return self.rng.choice(STATEMENT_TOPICS)

    def _field_law_topic(self) -> str:
        return self.rng.choice(LAW_TOPICS)

    def _field_agenda(self) -> str:
        return self.rng.choice(AGENDAS)

    def _field_goods(self) -> str:
        return self.rng.choice(GOODS)

    def _field_crime(self) -> str:
        return self.rng.choice(CRIMES)

    def _field_discovery(self) -> str:
        return self.rng.choice(DISCOVERIES)

    def _field_period(self) -> str:
        return self.rng.choice(PERIODS)

    # --- dates in the text, relative to the header date
    def _field_when(self) -> str:
        rng, date = self.rng, self.date
        roll = rng.random()
        past = date - datetime.timedelta(days=rng.randint(1, 120))
        if roll < 0.22:
            return f"{past.day} {MONTHS_GENITIVE[past.month - 1]}"
        if roll < 0.32:
            return f"{past.day} {MONTHS_GENITIVE[past.month - 1]} {past.year} года"
        if roll < 0.45:
            suffix = f" {past.year} года" if past.year != date.year or rng.random() < 0.3 else ""
            return f"в {MONTHS_PREPOSITIONAL[past.month - 1]}{suffix}"
        if roll < 0.55:
            return self._date_range(past)
        if roll < 0.65:
            return f"в {rng.randint(1995, date.year)} году"
        if roll < 0.82:
            return rng.choice(RELATIVE_DATES)
        if roll < 0.88:
            return rng.choice(WEEKDAYS_ACCUSATIVE)
        if roll < 0.94:
            edge = rng.choice(("в начале", "в середине", "в конце"))
            return f"{edge} {MONTHS_GENITIVE[past.month - 1]}"
        if roll < 0.97:
            return f"в конце {rng.randint(2000, date.year)} года"
        return f"в {rng.choice((1980, 1990, 2000))}-х годах"

    def _field_when_range(self) -> str:
        start = self.date + datetime.timedelta(days=self.rng.randint(3, 90))
        return self._date_range(start)

    def _date_range(self, start: datetime.date) -> str:
        """'с 3 по 7 марта 2024 года' or 'с 30 июня по 1 июля' across a month end."""
        end = start + datetime.timedelta(days=self.rng.randint(1, 9))
        year = f" {end.year} года" if end.year != self.date.year or self.rng.random() < 0.5 else ""
        if start.month == end.month:
            return f"с {start.day} по {end.day} {MONTHS_GENITIVE[end.month - 1]}{year}"
        return f"с {start.day} {MONTHS_GENITIVE[start.month - 1]} по {end.day} {MONTHS_GENITIVE[end.month - 1]}{year}"

    def _field_day_month(self) -> str:
        day = self.date + datetime.timedelta(days=self.rng.randint(2, 60))
        return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"

    def _field_future_year(self) -> str:
        return str(self.date.year + self.rng.randint(1, 4))

    # --- numbers that are not dates
    def _count(self) -> int:
        roll = self.rng.random()
        if roll < 0.6:
            return self.rng.randint(2, 30)
        if roll < 0.9:
            return self.rng.randint(31, 500)
        return self.rng.randint(501, 5000)

    def _field_people(self) -> str:
        count = self._count()
        return f"{count} {_plural(count, self.rng.choice(PEOPLE_NOUNS))}"

    def _field_people_gen(self) -> str:
        count = self._count()
        if count % 10 == 1 and count % 100 != 11:
            count += 1
        return f"{count} {self.rng.choice(PEOPLE_NOUNS)[2]}"

    def _field_crews(self) -> str:
        count = self.rng.randint(1, 40)
        return f"{count} {_plural(count, CREW_COUNTS)}"

    def _field_flights(self) -> str:
        count = self._count()
        return f"{count} {_plural(count, FLIGHT_COUNTS)}"

    def _field_rounds(self) -> str:
        count = self.rng.randint(5, 30)
        return f"{count} {_plural(count, ROUND_COUNTS_GENITIVE)}"

    def _field_deputies(self) -> str:
        count = self.rng.randint(226, 420)
        return f"{count} {_plural(count, DEPUTY_COUNTS)}"

    def _field_deputies2(self) -> str:
        count = self.rng.randint(0, 40)
        return f"{count} {_plural(count, DEPUTY_COUNTS)}"

    def _field_pct(self) -> str:
        if self.rng.random() < 0.4:
            return f"{self.rng.randint(1, 30)}%"
        return f"{_decimal(self.rng.uniform(0.1, 25))}%"

    def _field_money(self) -> str:
        unit = self.rng.choice(MONEY_UNITS)
        if self.rng.random() < 0.15 and "долларов" in unit:
            return f"${_decimal(self.rng.uniform(1, 900))} {unit.split()[0]}"
        return f"{_decimal(self.rng.uniform(1, 950))} {unit}"

    def _field_rate(self) -> str:
        return f"{self.rng.randint(55, 110)},{self.rng.randint(0, 99):02d}"

    def _field_salary(self) -> str:
        return f"{self.rng.randint(35, 180)} {self.rng.randint(0, 999):03d}"

    def _field_tonnes(self) -> str:
        return f"{_decimal(self.rng.uniform(1, 60))} млн тонн"

    def _field_score(self) -> str:
        return f"{self.rng.randint(0, 5)}:{self.rng.randint(0, 4)}"

    def _field_clock(self) -> str:
        return f"{self.rng.randint(0, 23):02d}:{self.rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50)):02d}"

    def _field_months(self) -> str:
        count = self.rng.randint(1, 18)
        return f"{count} {_plural(count, MONTH_COUNTS)}"

    def _field_years(self) -> str:
        count = self.rng.randint(1, 25)
        return f"{count} {_plural(count, YEAR_COUNTS)}"

    def _field_minutes(self) -> str:
        count = self.rng.randint(1, 90)
        return f"{count} {_plural(count, MINUTE_COUNTS)}"

    def _field_hours(self) -> str:
        count = self.rng.randint(1, 12)
        return f"{count} {_plural(count, HOUR_COUNTS)}"

    def _field_times(self) -> str:
        return str(self.rng.randint(2, 4))

    def _field_fans(self) -> str:
        return f"{self.rng.randint(2, 60)} {self.rng.randint(0, 9)}00"

    def _field_decade(self) -> str:
        return f"{self.rng.randrange(1900, 2000, 10)}-х"

    def _field_year(self) -> str:
        return str(self.rng.randint(1970, 2010))

    def _field_max_term(self) -> str:
        return str(self.rng.choice((5, 6, 7, 8, 10, 12, 15, 20)))

    def _field_minute(self) -> str:
        return str(self.rng.randint(1, 90))

    def _field_points(self) -> str:
        count = self.rng.randint(1, 70)
        return f"{count} {_plural(count, POINT_COUNTS)}"

    def _field_rank(self) -> str:
        return str(self.rng.randint(1, 16))

    def _field_matches(self) -> str:
        return str(self.rng.randint(5, 19) * 10 + 5)

    def _field_goals(self) -> str:
        return str(self.rng.randint(5, 9) * 10 + self.rng.choice((5, 6, 7, 8, 9)))

    def _field_exhibits(self) -> str:
        return str(self.rng.randint(2, 50) * 10)

    def _field_area(self) -> str:
        return str(self.rng.randint(50, 5000))

    def _field_speed(self) -> str:
        return str(self.rng.randint(90, 220))

    def _field_distance(self) -> str:
        return str(self.rng.randint(5, 300))

    def _field_criminal_article(self) -> str:
        article = self.rng.choice(CRIMINAL_CODE_ARTICLES)
        return f"ч. {self.rng.randint(1, 4)} ст. {article}" if self.rng.random() < 0.5 else article


# ---------------------------------------------------------------- files


def article_text(rng: random.Random, date: datetime.date) -> str:
    """One clean article in the seed format, ending with a newline."""
    title, lede, credit, paragraphs = ArticleWriter(rng, date).render()
    header = f"{' ' if rng.random() < 0.05 else ''}date {date.isoformat()}"
    top = [title, "", lede] + ([credit] if credit else [])
    return "\n".join([header] + top + [""] + "\n\n".join(paragraphs).split("\n")) + "\n"


def damage(rng: random.Random, kind: str, text: str) -> bytes:
    """Apply one kind of real-archive damage to a clean article."""
    header, _, rest = text.partition("\n")
    if kind == "binary":
        magic = rng.choice(BINARY_MAGIC)
        return magic + rng.randbytes(rng.randint(512, 32768))
    if kind == "empty":
        return rng.choice((b"", b"\n", b"  \n\n", b"\r\n"))
    if kind in ("cp1251", "koi8_r", "cp866"):
        if kind != "cp1251":
            text = text.translate(ASCII_PUNCTUATION)
        return text.encode(kind, "replace")
    if kind == "utf8_bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if kind == "banner":
        banner = rng.choice(BANNERS)
        text = f"{header} {banner}\n{rest}" if rng.random() < 0.5 else f"{header}\n{banner}\n{rest}"
    elif kind == "no_header":
        text = rest
    elif kind == "bad_header":
        bad = rng.choice(("date 2025-13-45", "date 2019-02-30", "date 12.05.2020", "date", "date: 2021-04-01",
                          "Date 2018/07/15", "date 0000-00-00"))
        text = f"{bad}\n{rest}"
    elif kind in ("escapes", "markup"):
        inserts = TERMINAL_ESCAPES if kind == "escapes" else MARKUP_LIKE
        lines = rest.split("\n")
        for _ in range(rng.randint(1, 4)):
            target = rng.choice([0] + [i for i, line in enumerate(lines) if len(line) > 40])
            line = lines[target]
            space = line.find(" ", rng.randint(0, len(line)))
            cut = len(line) if space < 0 else space + 1
            lines[target] = line[:cut] + rng.choice(inserts) + line[cut:]
        text = f"{header}\n" + "\n".join(lines)
    return text.encode("utf-8")


def _noise_plan(rng: random.Random, count: int) -> list[str | None]:
    """The damage kind (or None, or 'duplicate') of each file, drawn once up front."""
    kinds = list(NOISE_SHARES) + ["duplicate"]
    cumulative, total = [], 0.0
    for share in list(NOISE_SHARES.values()) + [DUPLICATE_SHARE]:
        total += share
        cumulative.append(total)
    plan = []
    for _ in range(count):
        roll = rng.random()
        plan.append(next((kind for kind, edge in zip(kinds, cumulative, strict=True) if roll < edge), None))
    return plan


def _folders(dates: list[datetime.date]) -> list[str]:
    """Folder of each file: YYYY/MM, split into numbered sub-folders when a month is crowded."""
    per_month = Counter((date.year, date.month) for date in dates)
    seen: Counter = Counter()
    folders = []
    for date in dates:
        key = (date.year, date.month)
        folder = f"{date.year}/{date.month:02d}"
        if per_month[key] > MAX_FILES_PER_FOLDER:
            folder += f"/{seen[key] // MAX_FILES_PER_FOLDER + 1:02d}"
        seen[key] += 1
        folders.append(folder)
    return folders


def make_corpus(out_dir: Path, count: int, seed: int) -> Counter:
    """Write `count` files under `out_dir`; return how many of each kind were written."""
    rng = random.Random(seed)
    span = (LAST_DATE - FIRST_DATE).days
    dates = sorted(FIRST_DATE + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    plan = _noise_plan(rng, count)
    folders = _folders(dates)
    recent_clean: list[bytes] = []
    made: Counter = Counter()
    created = set()
    for index, (date, kind, folder) in enumerate(zip(dates, plan, folders, strict=True)):
        if kind == "duplicate" and recent_clean:
            data = rng.choice(recent_clean)
        else:
            kind = None if kind == "duplicate" else kind
            text = article_text(rng, date)
            data = damage(rng, kind, text) if kind else text.encode("utf-8")
            if kind is None:
                recent_clean.append(data)
                del recent_clean[:-200]
        if folder not in created:
            (out_dir / folder).mkdir(parents=True, exist_ok=True)
            created.add(folder)
        name = f"{index:06d}_{rng.getrandbits(64):016x}.txt"
        with open(out_dir / folder / name, "wb") as file:
            file.write(data)
        made[kind or "clean"] += 1
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to create the corpus in")
    parser.add_argument("--count", type=int, required=True, metavar="N", help="number of files to write")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default %(default)s)")
    options = parser.parse_args(argv)
    if options.count < 1:
        parser.error("--count must be at least 1")
    if options.out_dir.exists() and any(options.out_dir.iterdir()):
        parser.error(f"{options.out_dir} exists and is not empty; remove it or choose another folder")
    started = time.perf_counter()
    made = make_corpus(options.out_dir, options.count, options.seed)
    elapsed = time.perf_counter() - started
    kinds = ", ".join(f"{kind} {number}" for kind, number in made.most_common())
    print(f"wrote {options.count} files to {options.out_dir} in {elapsed:.1f} s ({kinds})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
