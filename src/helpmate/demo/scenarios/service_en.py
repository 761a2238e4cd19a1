"""Customers writing in English about products, accounts, invoices, gifts and praise."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority

_ALL = (Channel.EMAIL, Channel.PORTAL, Channel.CHAT, Channel.PHONE)


def _en(key: str, team: str = "support", **fields: object) -> Scenario:
    return Scenario(key=key, kind="customer", team=team, language="en", **fields)  # type: ignore[arg-type]


SCENARIOS = [
    _en(
        "product-question",
        products="bath",
        subjects=("Question about the {product}", "Is the {product} suitable for..."),
        opening=(
            "Before I order: is the {product} suitable for a bathroom without a window? I "
            "don't want it to warp.",
            "Can the {product} be cleaned in the washing machine, and at what temperature?",
        ),
        reply=(
            "Good question. I checked with our product team rather than guess. The honest "
            "answer is that it depends on how damp it gets: it's fine with normal use and "
            "ventilation, but constant steam isn't good for it. Would you like me to suggest "
            "something that copes better with humidity?"
        ),
        follow_up="Yes please, what would you recommend?",
        resolution=(
            "The {product2} is made for exactly that: sealed, and fine with steam. It costs a "
            "little more ({amount}) but it will last. If you order it and it isn't right, you "
            "have 30 days to return it, free."
        ),
        tags=("pre-sales",),
        channels=(Channel.CHAT, Channel.EMAIL, Channel.PORTAL),
        priority=Priority.LOW,
    ),
    _en(
        "account-login",
        subjects=("Can't log in to my account", "Password reset email never arrives"),
        opening=(
            "I've tried to reset my password three times but the email never arrives. I've "
            "checked spam. I need to see my invoices.",
        ),
        reply=(
            "Sorry for the trouble. I can see the reset emails were sent to an address with a "
            "small typo (gmial instead of gmail). Is it all right if I correct the address on "
            "your account? Please reply from the address you'd like us to use."
        ),
        follow_up="Ah, that explains it! Yes, please use this address.",
        resolution=(
            "Done: your account now uses this address and I've sent a fresh reset link. It's "
            "valid for 30 minutes. Your invoices are under Account → Orders once you're in."
        ),
        tags=("account",),
        channels=(Channel.EMAIL, Channel.CHAT),
        priority=Priority.LOW,
    ),
    _en(
        "invoice-company-details",
        team="billing",
        subjects=("Invoice needs our company details", "VAT number on invoice {invoice}"),
        opening=(
            "Could you reissue invoice {invoice} with our company name and VAT number? Our "
            "accounts team can't book it as it is. Company: {org}.",
        ),
        reply=(
            "Of course. Could you send me the exact company name, address and VAT number as "
            "they should appear? I'll reissue it the same day."
        ),
        follow_up=(
            "{org}, 12 Quay Street, {city}. VAT GB 123 4567 89. Please also add our PO number 4471."
        ),
        resolution=(
            "Here's the corrected invoice {invoice}-A with your company details, VAT number and "
            "PO 4471. The original has been cancelled so your accounts team won't see two. "
            "I've also saved the details on your account for future orders."
        ),
        tags=("invoice",),
        priority=Priority.LOW,
    ),
    _en(
        "gift-order",
        products="small",
        subjects=("Gift wrapping and message", "Sending the {product} as a present"),
        opening=(
            "I'd like to send the {product} to my mother in {city} as a birthday present. Can "
            "you gift-wrap it and leave the price off the delivery note?",
        ),
        reply=(
            "What a lovely idea. Yes: gift wrapping is free and the delivery note won't show "
            "any prices. Would you like a card with a message? Just tell me what it should say."
        ),
        follow_up="Yes please: 'Happy 70th, Mum! Love from all of us.'",
        resolution=(
            "All set: wrapped, with your card, and no prices anywhere. It leaves today and "
            "should arrive {day}. I hope she loves it."
        ),
        thanks="She called me in tears, she loves it. Thank you!",
        tags=("gift",),
        channels=(Channel.CHAT, Channel.EMAIL, Channel.PHONE),
        priority=Priority.LOW,
    ),
    _en(
        "faulty-lamp",
        products="lamp",
        subjects=("{product} flickers", "Lamp stopped working after two weeks"),
        opening=(
            "The {product} we bought last month has started flickering and now it only turns "
            "on every second time. Bulb is new. Is it faulty?",
        ),
        reply=(
            "That does sound like a faulty switch, which is covered by the two-year guarantee. "
            "Before we swap it, could you try one thing: unplug it for a minute and check the "
            "cable is pushed fully into the base? About one in five times that's the culprit."
        ),
        follow_up="Tried that, no difference. Still flickers.",
        resolution=(
            "Thanks for trying. It's faulty then, and I'm sorry. A new {product} is on its way "
            "({tracking}, arriving {day}). The courier will take the old one back in the same "
            "visit; just have it ready, no box needed."
        ),
        tags=("faulty", "guarantee"),
    ),
    _en(
        "discount-code",
        subjects=("Discount code not working", "Voucher rejected at checkout"),
        opening=(
            "The code WELCOME10 from your newsletter says 'not valid' at checkout. I'm trying "
            "to buy the {product}.",
        ),
        reply=(
            "Sorry about that. The code is valid, but it only works on orders over €50 and "
            "excludes items already on sale, and the {product} is on sale this week. Would "
            "you like me to apply whichever saving is bigger for you?"
        ),
        follow_up="Yes please, that would be great.",
        resolution=(
            "The sale price is the better deal here, so I've left that, and I've added free "
            "delivery to your basket as a thank-you for your patience. It's valid for 7 days "
            "on this account."
        ),
        tags=("pricing",),
        channels=(Channel.CHAT, Channel.EMAIL),
        priority=Priority.LOW,
    ),
    _en(
        "bulk-order-business",
        products="furniture",
        subjects=("Bulk order for {org}", "Quote for 40 x {product}"),
        opening=(
            "We're refurbishing rooms at {org} and would like a quote for 40 of the {product} "
            "and 40 of the {product2}, delivered to {city} in about six weeks.",
        ),
        reply=(
            "Thank you for thinking of us. For orders of this size we can offer a business price "
            "and split delivery. Could you tell me the delivery address and whether there's a "
            "loading bay or lift?"
        ),
        follow_up="Loading bay at the back, goods lift to all floors. Address is on our website.",
        resolution=(
            "Attached is the quote (ref {ref}): 12% business discount, two deliveries a week "
            "apart, and installation of the {product2} included. It's valid for 30 days. I'm "
            "your contact for the whole order, so just reply here with any questions."
        ),
        check_note=(
            "@{colleague} can we do 40 x {product} and 40 x {product2} to {city} in 6 weeks? "
            "Need stock + freight slots before I quote."
        ),
        check_reply=(
            "I'm checking stock and freight slots with our logistics team so the quote is one "
            "we can keep. You'll have it by {day}."
        ),
        tags=("business", "quote"),
        channels=(Channel.EMAIL,),
    ),
    _en(
        "care-advice",
        products="soft",
        subjects=("Stain on the {product}", "How to clean the {product}"),
        opening=(
            "We spilled red wine on the {product} last night. I blotted it but there's still "
            "a mark. Any advice before I make it worse?",
        ),
        reply=(
            "Oh no, but well done on blotting rather than rubbing. Try cold water with a drop "
            "of washing-up liquid on a white cloth, working from the outside in. Don't use hot "
            "water; it sets the stain. Does the mark fade?"
        ),
        follow_up="It's much fainter now but still a bit visible.",
        resolution=(
            "That's a good result. For what's left, our care kit (the stain remover in it is "
            "made for wool and linen) usually gets the rest. I've sent you one free of charge; "
            "it should arrive {day}. If it doesn't work, write back and we'll look at a "
            "professional clean."
        ),
        tags=("care",),
        channels=(Channel.CHAT, Channel.EMAIL, Channel.PORTAL),
        priority=Priority.LOW,
    ),
    _en(
        "praise",
        products="big",
        subjects=("Thank you!", "Lovely delivery team"),
        opening=(
            "Just wanted to say the two drivers who delivered our {product} today were "
            "brilliant: careful, friendly, and they even took the old sofa down the stairs. "
            "Please pass on our thanks.",
        ),
        reply=(
            "Thank you so much for taking the time to write; it really makes our day. I'll "
            "pass your words on to the team today. May I share your message (without your "
            "name) on our team board?"
        ),
        follow_up="Of course, happy for you to share it.",
        resolution=(
            "Shared! The drivers were delighted. Enjoy the {product}, and don't hesitate to "
            "write if you ever need anything."
        ),
        tags=("praise",),
        priority=Priority.LOW,
    ),
    _en(
        "price-drop",
        team="billing",
        subjects=("Price dropped after I bought", "Price match for the {product}?"),
        opening=(
            "I bought the {product} last week for {amount} and today it's 20% cheaper on your "
            "site. Is there anything you can do?",
        ),
        reply=(
            "I understand how annoying that is. We refund the difference within 14 days of "
            "purchase, and you're inside that window. Could you confirm the order number so I "
            "can apply it to the right payment?"
        ),
        follow_up="It's order {order}.",
        resolution=(
            "Done: the difference has been refunded to your original payment method "
            "(reference {ref}). It should show within 3 working days."
        ),
        tags=("pricing", "refund"),
        channels=(Channel.EMAIL, Channel.CHAT),
    ),
]
