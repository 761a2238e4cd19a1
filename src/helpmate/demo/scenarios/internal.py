"""Colleagues asking the IT helpdesk, Billing or Support: customers too, with the same care."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority

_INSIDE = (Channel.INTERNAL, Channel.CHAT, Channel.EMAIL)


def _in(key: str, team: str = "it", **fields: object) -> Scenario:
    return Scenario(
        key=key,
        kind="colleague",
        team=team,
        language="en",
        channels=fields.pop("channels", _INSIDE),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


SCENARIOS = [
    _in(
        "vpn",
        subjects=("VPN won't connect from home", "Can't reach the shared drive remotely"),
        opening=(
            "Since this morning the VPN client says 'authentication failed' when I connect "
            "from home. I haven't changed my password. I need the shared drive for the "
            "month-end reports.",
        ),
        reply=(
            "Thanks for the clear description. Your account is fine, but your VPN certificate "
            "expired last night; a batch of them did. Could you tell me whether you're on the "
            "Windows laptop or the Mac?"
        ),
        follow_up="The Windows laptop (NW-LT-0142).",
        resolution=(
            "I've pushed a new certificate to NW-LT-0142. Restart the VPN client (right-click "
            "the tray icon → Quit, then open it again) and it will pick it up. I've also renewed "
            "the other certificates in that batch so nobody else hits this tomorrow."
        ),
        thanks="Working again, thank you!",
        tags=("vpn",),
        priority=Priority.HIGH,
    ),
    _in(
        "new-starter",
        subjects=("New starter on {day}: accounts and laptop", "Onboarding for our new colleague"),
        opening=(
            "We have a new colleague joining the team on {day}. Could you set up a laptop, an "
            "email account and access to the team's shared folder and the desk?",
        ),
        reply=(
            "Happy to. To set everything up I need their full name, job title, who they report "
            "to, and whether they'll need a phone or headset. Could you send those?"
        ),
        follow_up=(
            "Name and title are in the HR form I've attached. Reports to me. A headset please, "
            "no phone."
        ),
        resolution=(
            "All ready for {day}: laptop NW-LT-0188 with the usual software, email account, "
            "shared folder access and an agent account on the desk. The headset is in the box. "
            "I'll come by at 9:30 on their first day to help them log in."
        ),
        check_note=(
            "@{colleague} new starter on {day}, we need a laptop from stock. Do we have a "
            "14-inch one left or do I order?"
        ),
        check_reply=(
            "Accounts are being created; I'm checking we have a laptop in stock and will "
            "confirm by {day}."
        ),
        tags=("onboarding",),
    ),
    _in(
        "scanner-battery",
        subjects=("Handheld scanner battery dies after an hour", "Warehouse scanner problems"),
        opening=(
            "Two of the handheld scanners in zone B die after about an hour even when fully "
            "charged overnight. It's slowing down picking.",
        ),
        reply=(
            "That sounds like worn batteries; they're rated for about 500 charges. Could you "
            "read me the asset numbers on the back of the two scanners?"
        ),
        follow_up="WH-SC-021 and WH-SC-034.",
        resolution=(
            "Both batteries were past their life. New batteries are fitted and the scanners are "
            "back in the zone B rack. I've scheduled a battery check for the whole fleet next "
            "month."
        ),
        tags=("hardware", "warehouse"),
        priority=Priority.HIGH,
    ),
    _in(
        "printer",
        subjects=("Label printer in packing prints blank labels",),
        opening=(
            "The label printer at packing station 3 prints blank labels since the roll was "
            "changed. We're using station 4 for now but it's a bottleneck.",
        ),
        reply=(
            "Blank labels after a roll change usually mean the roll is in upside down or it's "
            "direct-thermal paper in a transfer printer. Is the shiny side facing up?"
        ),
        follow_up="It was upside down. Embarrassing! But now it prints half a label and stops.",
        resolution=(
            "Half a label means it needs calibrating for the new roll. I've done that remotely, "
            "and station 3 printed a test label fine. I'll tape a one-page guide inside the lid."
        ),
        tags=("hardware", "warehouse"),
        channels=(Channel.CHAT, Channel.INTERNAL),
    ),
    _in(
        "access-request",
        subjects=("Access to the finance reports folder", "Permission request"),
        opening=(
            "Could I get read access to the finance reports folder? I'm preparing the quarterly "
            "returns analysis.",
        ),
        reply=(
            "Sure. Access to that folder needs the folder owner's OK. I've asked Finance; "
            "you'll get an email when it's granted. Is read-only enough, or do you need to save "
            "files there too?"
        ),
        follow_up="Read-only is fine.",
        resolution=(
            "Finance approved it: you have read-only access to the finance reports folder "
            "now. It may take up to 15 minutes to appear in your file explorer."
        ),
        tags=("access",),
        priority=Priority.LOW,
    ),
    _in(
        "refund-report",
        team="billing",
        subjects=("Refund report for last month", "Numbers for the board pack"),
        opening=(
            "For the board pack I need the number and value of refunds last month, split by "
            "reason (damaged, return, goodwill). Could you pull that together by {day}?",
        ),
        reply=(
            "Yes, by {day} is fine. Do you want goodwill refunds to include delivery-charge "
            "refunds, or those separately?"
        ),
        follow_up="Separately please.",
        resolution=(
            "The report is attached: 212 refunds, split by reason, with delivery-charge refunds "
            "on their own line. The main driver is transit damage on lamps; Logistics is already "
            "looking at the packaging."
        ),
        tags=("report",),
        channels=(Channel.EMAIL, Channel.INTERNAL),
    ),
    _in(
        "warehouse-customer-question",
        team="support",
        subjects=("Customer at the pick-up counter asking about {order}",),
        opening=(
            "A customer is here at the pick-up counter for order {order} but it's not on our "
            "list. She says she got an email saying it's ready. Can someone check?",
        ),
        reply=(
            "Thanks for asking rather than sending her away. The order was switched to home "
            "delivery by mistake. Could you check shelf R-12 for the {product}? It should be "
            "there with a delivery label."
        ),
        follow_up="Found it on R-12. What should I do with the label?",
        resolution=(
            "Please remove the delivery label and hand it over; I've switched the order back to "
            "pick-up and cancelled the courier booking. I've written to the customer too to "
            "apologise for the confusion."
        ),
        tags=("pick-up",),
        priority=Priority.URGENT,
        channels=(Channel.CHAT, Channel.PHONE, Channel.INTERNAL),
    ),
    _in(
        "laptop-slow",
        subjects=("Laptop very slow since update", "Computer freezing in Teams calls"),
        opening=(
            "Since last week's update my laptop freezes for a few seconds every time I share "
            "my screen in a call. Very awkward with suppliers watching.",
        ),
        reply=(
            "That's a known problem with the new graphics driver on some laptops. Can I connect "
            "remotely this afternoon to roll it back? It takes about 15 minutes."
        ),
        follow_up="Yes, any time after 14:00 works.",
        resolution=(
            "The driver is rolled back and screen sharing is smooth in my test call. I've "
            "paused that update for the affected models until the fixed version is out."
        ),
        tags=("software",),
    ),
    _in(
        "marketing-quotes",
        team="support",
        subjects=("Customer quotes for the autumn catalogue",),
        opening=(
            "For the autumn catalogue we'd love three or four real customer quotes about the "
            "delivery experience. Do you have praise from the last couple of months we could "
            "ask to use?",
        ),
        reply=(
            "What a nice request. We have several, tagged 'praise'. Before I share any, we'll "
            "ask each customer for permission. How many do you need, and by when?"
        ),
        follow_up="Four would be perfect, by the end of the month.",
        resolution=(
            "Four customers said yes; their quotes and how they'd like to be named are in the "
            "attached document. Please send them a copy of the catalogue when it's out; I "
            "promised them that."
        ),
        tags=("praise", "marketing"),
        channels=(Channel.EMAIL, Channel.INTERNAL),
        priority=Priority.LOW,
    ),
]
