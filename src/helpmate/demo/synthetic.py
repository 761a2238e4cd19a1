"""Sentence parts for the benchmark generator (``helpmate generate``).

Shorter and more repetitive than the demo scripts, but real words in a realistic mix: common
words ("order", "delivery") match a large share of messages, product names a few percent, order
numbers almost nothing. That spread is what search has to cope with at scale.
"""

from __future__ import annotations

from helpmate.demo.catalog import CARRIERS, CITIES, PRODUCTS

PRODUCT_NAMES = tuple(p.names["en"] for p in PRODUCTS)
CARRIER_NAMES = CARRIERS
CITY_NAMES = CITIES["en"] + CITIES["de"] + CITIES["fr"]

PROBLEMS = (
    "arrived damaged", "is missing a part", "came in the wrong colour", "is scratched",
    "wobbles", "stopped working", "has a stain", "smells of chemicals", "is smaller than shown",
    "was never delivered", "arrived late", "was left in the rain", "has a crack",
    "came without instructions", "is the wrong size", "was charged twice", "faded after a wash",
    "is noisy", "lost a screw", "has a broken hinge",
)  # fmt: skip

SUBJECTS = (
    "{product} {problem}",
    "Order {order}: {product}",
    "Question about order {order}",
    "Refund for {product}",
    "Where is order {order}?",
    "Return {product}",
    "Invoice {invoice}",
    "Delivery to {city}",
    "Problem with my {product}",
    "Change delivery for {order}",
    "Complaint: {product} {problem}",
    "Help with {product}",
)

OPENINGS = (
    "Hello, my order {order} arrived and the {product} {problem}. Could you help me sort it "
    "out? I live in {city}.",
    "Hi, I bought the {product} last month and it {problem}. What can you do?",
    "Good morning. Order {order} was shipped with {carrier} a week ago and the {product} still "
    "hasn't arrived. Can you check the tracking?",
    "I would like to return the {product} from order {order}. It {problem}.",
    "Our invoice {invoice} shows the {product} twice. Please correct it.",
    "The {product} {problem}. This is the second time this happens and I'm not happy.",
    "Can I change the delivery address for order {order}? We are moving to {city}.",
    "Is the {product} in stock again? I'd like to order two for our office in {city}.",
)

REPLIES = (
    "Thanks for writing, and sorry the {product} {problem}. Could you send a photo so I can "
    "arrange a replacement?",
    "I've checked order {order}: {carrier} has it at their depot in {city}. I've asked them "
    "to deliver it tomorrow.",
    "I'm sorry about that. I've started a return for the {product}; the label is in your "
    "account under order {order}.",
    "Thank you for your patience. Invoice {invoice} is corrected; you'll find the new one "
    "attached.",
    "Good news: the {product} is back in stock. I've reserved two for you until Friday.",
    "I've changed the address on order {order} to {city}. {carrier} will bring it on Tuesday.",
)

FOLLOW_UPS = (
    "Thanks, photo attached.",
    "That works for me, thank you.",
    "Still nothing from {carrier} today. Any news?",
    "Great, I'll drop it off at the parcel shop tomorrow.",
    "Could you also check the {product} from the same order?",
    "OK. How long will the refund take?",
)

RESOLUTIONS = (
    "A replacement {product} is on its way with {carrier} and should arrive on Thursday.",
    "Your refund for order {order} has been issued; it usually shows within three days.",
    "{carrier} confirms delivery today. I'll check back with you tomorrow.",
    "All done: the corrected invoice {invoice} is in your account.",
    "The return has arrived at our warehouse and the refund is on its way.",
)

NOTES = (
    "Checked with the warehouse: {product} in stock, replacement can go out today.",
    "Carrier ticket opened with {carrier} for {order}.",
    "Customer had the same problem last year with a {product}. Be generous.",
    "Finance confirms the double charge on {invoice}; refund approved.",
)

TAGS = (
    "damaged", "delivery", "refund", "returns", "invoice", "complaint", "replacement",
    "carrier", "pricing", "praise", "missing-parts", "wrong-item", "account", "pre-sales",
    "business", "supplier", "warehouse", "vpn", "onboarding", "hardware", "faulty",
    "guarantee", "care", "gift",
)  # fmt: skip

COMPANY_WORDS = (
    "Harbour", "Maple", "Granite", "Willow", "Summit", "Lantern", "Meridian", "Juniper",
    "Copper", "Northgate", "Riverside", "Oakfield", "Bluebell", "Kestrel", "Amber", "Saffron",
)  # fmt: skip
COMPANY_KINDS = (
    "Hotels", "Interiors", "Dental", "Property", "Cafés", "Architects", "Offices", "Studios",
    "Nurseries", "Clinics", "Apartments", "Trading",
)  # fmt: skip
