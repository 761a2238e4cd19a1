"""What Northwind sells and how it ships: the nouns the demo conversations talk about.

Northwind is a made-up online shop for home goods (furniture, lighting, textiles, kitchen)
with a warehouse in Rotterdam, customers across Europe and North America, and a handful of
suppliers. Each product knows its names in the languages the demo writes in.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY = "Northwind"
COMPANY_DOMAIN = "northwind.example"
SHOP_URL = "https://shop.northwind.example"
RETURNS_URL = "https://shop.northwind.example/returns"


@dataclass(frozen=True)
class Product:
    sku: str
    names: dict[str, str]  # language -> name, a noun phrase without article
    price: int  # euros
    kinds: frozenset[str]  # what a scenario may ask for: big, fragile, assembly, washable...

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


def _p(sku: str, price: int, kinds: str, en: str, de: str, es: str, fr: str, pt: str) -> Product:
    names = {"en": en, "de": de, "es": es, "fr": fr, "pt": pt}
    return Product(sku, names, price, frozenset(kinds.split()))


PRODUCTS: tuple[Product, ...] = (
    _p("NW-1101", 899, "furniture big wood assembly",
       "Fjord oak dining table", "Esstisch Fjord aus Eiche", "mesa de comedor Fjord de roble",
       "table à manger Fjord en chêne", "mesa de jantar Fjord em carvalho"),
    _p("NW-1102", 189, "furniture wood assembly",
       "Fjord dining chair", "Esszimmerstuhl Fjord", "silla de comedor Fjord", "chaise Fjord",
       "cadeira de jantar Fjord"),
    _p("NW-1204", 1290, "furniture big soft",
       "Harbour three-seat sofa", "Dreisitzer-Sofa Harbour", "sofá de tres plazas Harbour",
       "canapé trois places Harbour", "sofá de três lugares Harbour"),
    _p("NW-1207", 149, "textile soft washable",
       "Harbour sofa cover in sage", "Sofabezug Harbour in Salbeigrün",
       "funda de sofá Harbour color salvia", "housse de canapé Harbour vert sauge",
       "capa de sofá Harbour verde-salva"),
    _p("NW-1310", 79, "lamp fragile small",
       "Lumen brass table lamp", "Tischlampe Lumen aus Messing", "lámpara de mesa Lumen de latón",
       "lampe de table Lumen en laiton", "candeeiro de mesa Lumen em latão"),
    _p("NW-1312", 229, "lamp fragile",
       "Lumen arc floor lamp", "Bogenleuchte Lumen", "lámpara de pie Lumen",
       "lampadaire arc Lumen", "candeeiro de pé Lumen"),
    _p("NW-1320", 59, "lamp small",
       "set of four Lumen LED bulbs", "Vierer-Set LED-Lampen Lumen",
       "juego de cuatro bombillas LED Lumen", "lot de quatre ampoules LED Lumen",
       "conjunto de quatro lâmpadas LED Lumen"),
    _p("NW-1405", 119, "textile washable small",
       "Nordlys linen duvet cover", "Leinen-Bettbezug Nordlys", "funda nórdica de lino Nordlys",
       "housse de couette en lin Nordlys", "capa de edredão em linho Nordlys"),
    _p("NW-1406", 45, "textile washable small",
       "pair of Nordlys linen pillowcases", "Paar Leinen-Kissenbezüge Nordlys",
       "par de fundas de almohada de lino Nordlys", "paire de taies en lin Nordlys",
       "par de fronhas de linho Nordlys"),
    _p("NW-1410", 89, "textile soft washable small",
       "Tundra wool throw", "Wolldecke Tundra", "manta de lana Tundra", "plaid en laine Tundra",
       "manta de lã Tundra"),
    _p("NW-1502", 249, "kitchen small",
       "Ember cast-iron casserole", "Gusseisen-Bräter Ember", "cacerola de hierro fundido Ember",
       "cocotte en fonte Ember", "caçarola de ferro fundido Ember"),
    _p("NW-1505", 129, "kitchen small",
       "Ember knife block with five knives", "Messerblock Ember mit fünf Messern",
       "bloque Ember con cinco cuchillos", "bloc Ember de cinq couteaux",
       "bloco de facas Ember com cinco facas"),
    _p("NW-1510", 68, "kitchen ceramic fragile",
       "Porto stoneware dinner set for four", "Steingut-Geschirrset Porto für vier",
       "vajilla de gres Porto para cuatro", "service en grès Porto pour quatre",
       "serviço de grés Porto para quatro"),
    _p("NW-1511", 24, "kitchen ceramic fragile small",
       "Porto stoneware mugs (set of two)", "Porto Steingut-Becher (2er-Set)",
       "tazas de gres Porto (juego de dos)", "tasses en grès Porto (lot de deux)",
       "canecas de grés Porto (conjunto de duas)"),
    _p("NW-1601", 349, "furniture big wood assembly",
       "Kestrel walnut bookcase", "Bücherregal Kestrel aus Nussbaum",
       "estantería Kestrel de nogal", "bibliothèque Kestrel en noyer",
       "estante Kestrel em nogueira"),
    _p("NW-1605", 159, "furniture wood assembly",
       "Kestrel bedside table", "Nachttisch Kestrel", "mesita de noche Kestrel",
       "table de chevet Kestrel", "mesa de cabeceira Kestrel"),
    _p("NW-1702", 399, "textile soft",
       "Meadow wool rug 200x300", "Wollteppich Meadow 200x300", "alfombra de lana Meadow 200x300",
       "tapis en laine Meadow 200x300", "tapete de lã Meadow 200x300"),
    _p("NW-1708", 35, "candle small",
       "Driftwood scented candle", "Duftkerze Driftwood", "vela aromática Driftwood",
       "bougie parfumée Driftwood", "vela perfumada Driftwood"),
    _p("NW-1801", 549, "furniture big wood assembly",
       "Solstice desk with cable tray", "Schreibtisch Solstice mit Kabelwanne",
       "escritorio Solstice con bandeja para cables", "bureau Solstice avec goulotte",
       "secretária Solstice com calha para cabos"),
    _p("NW-1803", 289, "furniture assembly",
       "Solstice ergonomic office chair", "Ergonomischer Bürostuhl Solstice",
       "silla de oficina ergonómica Solstice", "chaise de bureau ergonomique Solstice",
       "cadeira de escritório ergonómica Solstice"),
    _p("NW-1901", 39, "textile bath washable small",
       "Willow bath towel set", "Badetuch-Set Willow", "juego de toallas Willow",
       "ensemble de serviettes Willow", "conjunto de toalhas Willow"),
    _p("NW-1905", 99, "bath fragile",
       "Willow bathroom mirror", "Badspiegel Willow", "espejo de baño Willow",
       "miroir de salle de bain Willow", "espelho de casa de banho Willow"),
    _p("NW-1907", 75, "bath wood assembly",
       "Willow teak bath shelf", "Badregal Willow aus Teak", "estante de baño Willow de teca",
       "étagère de salle de bain Willow en teck", "prateleira de casa de banho Willow em teca"),
    _p("NW-1909", 219, "bath furniture assembly",
       "Willow bathroom cabinet", "Badschrank Willow", "armario de baño Willow",
       "meuble de salle de bain Willow", "armário de casa de banho Willow"),
)  # fmt: skip

# What each supplier makes (a product kind), or "freight" for the carrier.
SUPPLIES = {
    "Lindström Textiles": "textile",
    "Porto Cerâmica": "ceramic",
    "Kamiński Woodworks": "wood",
    "Brightwick Candle Co.": "candle",
    "Nordlicht Leuchten": "lamp",
    "Atlas Freight": "freight",
}


def products_of(kind: str) -> list[Product]:
    """Products of one kind ("any" for all)."""
    if kind == "any":
        return list(PRODUCTS)
    return [p for p in PRODUCTS if kind in p.kinds]


CARRIERS = ("ParcelNow", "DHL", "DPD", "PostNL", "UPS", "Atlas Freight")
FREIGHT_CARRIER = "Atlas Freight"  # two-person delivery for furniture

CITIES = {
    "en": ("London", "Manchester", "Dublin", "Toronto", "Chicago", "Sydney", "Edinburgh"),
    "de": ("Berlin", "Hamburg", "München", "Wien", "Zürich", "Köln"),
    "es": ("Madrid", "Sevilla", "Valencia", "Barcelona", "Bilbao", "Ciudad de México"),
    "fr": ("Paris", "Lyon", "Bordeaux", "Bruxelles", "Montréal", "Nantes"),
    "pt": ("Lisboa", "Porto", "Coimbra", "São Paulo", "Braga"),
}

PAYMENT_METHODS = ("card", "PayPal", "bank transfer", "Klarna")
