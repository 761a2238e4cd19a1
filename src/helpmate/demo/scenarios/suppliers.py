"""Suppliers writing to Logistics & Suppliers or Billing: invoices, deliveries, changes."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority


def _sup(key: str, team: str = "logistics", **fields: object) -> Scenario:
    return Scenario(
        key=key,
        kind="supplier",
        team=team,
        language="en",
        channels=fields.pop("channels", (Channel.EMAIL,)),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


SCENARIOS = [
    _sup(
        "overdue-invoice",
        products="supplied",
        team="billing",
        subjects=("Invoice {invoice} overdue", "Payment reminder: {invoice}"),
        opening=(
            "Our invoice {invoice} for the last delivery of {product} was due on the 15th and "
            "we haven't received payment yet. Could you let us know when to expect it?",
        ),
        reply=(
            "Thank you for the reminder, and sorry for the delay. I can see {invoice} was "
            "approved but held because the bank details on it differ from the ones we have on "
            "file. Have your bank details changed recently?"
        ),
        follow_up=(
            "Yes, we moved banks in spring. The new details are on the letterhead attached, "
            "signed by our finance director."
        ),
        resolution=(
            "Thanks. We verified the new details by phone with your finance director, as our "
            "process requires, and updated them. {invoice} was paid today, reference {ref}. It "
            "should reach you within two working days."
        ),
        check_note=(
            "@{colleague} supplier says bank details changed. Please verify by phone using the "
            "number we already have on file (not the one on the letter) before we pay {invoice}."
        ),
        check_reply=(
            "Before we change bank details we always confirm them by phone with someone we "
            "already know at your company. We'll call your finance director by {day} and pay "
            "right after."
        ),
        tags=("supplier-invoice",),
        priority=Priority.HIGH,
    ),
    _sup(
        "delivery-slot",
        products="supplied",
        subjects=("Delivery slot at Rotterdam warehouse", "Booking a slot for {ref}"),
        opening=(
            "We have 6 pallets of {product} ready for you. Could you give us a delivery slot "
            "at the Rotterdam warehouse next week?",
        ),
        reply=(
            "Thank you. We have Tuesday 07:00 or Wednesday 13:00 at dock 2. Could you confirm "
            "the pallets are Euro pallets and no higher than 1.8 m?"
        ),
        follow_up="Euro pallets, 1.6 m. Tuesday 07:00 please.",
        resolution=(
            "Booked: Tuesday 07:00, dock 2, booking reference {ref}. Please give the driver "
            "that reference; the gate opens at 06:45."
        ),
        tags=("inbound",),
    ),
    _sup(
        "price-change",
        products="supplied",
        team="billing",
        subjects=("Price change from next quarter", "Updated price list"),
        opening=(
            "Due to higher raw material costs, our prices for the {product} will rise by 6% "
            "from next quarter. The new price list is attached.",
        ),
        reply=(
            "Thank you for telling us in good time. Before we update our system: does the new "
            "price apply to orders placed from that date, or deliveries from that date?"
        ),
        follow_up="Orders placed from the first day of the quarter.",
        resolution=(
            "Thanks, that's clear. We've updated the prices for orders from that date. Orders "
            "placed before then keep the current price even if delivered later, as agreed."
        ),
        tags=("pricing", "supplier"),
        priority=Priority.LOW,
    ),
    _sup(
        "damaged-pallet",
        products="supplied",
        subjects=("Damaged pallet claim {ref}", "Claim for delivery of {product}"),
        opening=(
            "Our driver reports your warehouse refused one pallet of {product} yesterday as "
            "damaged. We'd like to understand what happened before we accept the claim.",
        ),
        reply=(
            "Of course. Our goods-in team photographed the pallet on arrival: the wrap was torn "
            "and the top layer crushed. Would you like the photos and the signed delivery note?"
        ),
        follow_up="Yes please, send both.",
        resolution=(
            "The photos and the delivery note signed by your driver are attached. You agreed "
            "the claim; the credit note {ref} covers the 40 units. Thanks for sorting it so "
            "quickly."
        ),
        check_note=(
            "@{colleague} can you find the goods-in photos for the refused pallet of {product} "
            "from yesterday? Supplier wants them before accepting the claim."
        ),
        check_reply=(
            "I've asked our goods-in team for the photos and the signed delivery note; you'll "
            "have them by {day}."
        ),
        tags=("claim", "supplier"),
        priority=Priority.HIGH,
    ),
    _sup(
        "new-catalogue",
        products="supplied",
        subjects=("Our new collection", "Samples of the new range"),
        opening=(
            "We're launching a new range next season and would love to send samples to your "
            "buying team. Who is the best person to send them to?",
        ),
        reply=(
            "Thank you for thinking of us. Our buyers review new ranges at the start of each "
            "month. Could you send the catalogue as a PDF first, so they can choose which "
            "samples they'd like?"
        ),
        follow_up="The PDF is attached.",
        resolution=(
            "Our buyers would like samples of items 4, 9 and 12. Please send them to the "
            "Rotterdam warehouse, for the attention of Purchasing, reference {ref}."
        ),
        tags=("supplier",),
        priority=Priority.LOW,
    ),
    _sup(
        "certificate",
        products="supplied",
        subjects=("Certificate of origin for shipment {ref}",),
        opening=(
            "Customs is asking for the certificate of origin for shipment {ref}. Do you have "
            "it, or should we issue a new one?",
        ),
        reply=(
            "We received one with the shipment papers, but it lists the wrong HS code for the "
            "{product}. Could you issue a corrected one?"
        ),
        follow_up="Corrected certificate attached.",
        resolution=(
            "Thank you, customs accepted it and shipment {ref} has been released. It should be "
            "at our warehouse {day}."
        ),
        check_note=(
            "@{colleague} corrected certificate of origin for {ref} is attached above. Could "
            "you send it to the customs broker and tell me when the shipment is released?"
        ),
        check_reply=(
            "Thank you. We've passed it on to our customs broker and will tell you as soon as "
            "the shipment is released."
        ),
        tags=("customs", "supplier"),
    ),
    _sup(
        "late-production",
        products="supplied",
        subjects=("Production delay on order {ref}",),
        opening=(
            "I'm sorry to tell you that production of the {product} for order {ref} is delayed "
            "by about two weeks because a machine broke down.",
        ),
        reply=(
            "Thank you for telling us early; that makes a big difference. Could you give us a "
            "firm ship date, and could part of the order ship on time?"
        ),
        follow_up="We can ship 60% on the original date and the rest 15 days later.",
        resolution=(
            "That works. We'll take the partial delivery on the original date. I've let our "
            "customer service team know so they can warn the customers waiting for it before "
            "they have to ask."
        ),
        tags=("supplier", "delay"),
        priority=Priority.HIGH,
        channels=(Channel.EMAIL, Channel.PHONE),
    ),
    _sup(
        "carrier-invoice",
        team="billing",
        carrier_only=True,
        subjects=("Invoice {invoice} for last month's deliveries",),
        opening=(
            "Our invoice {invoice} for last month's two-person deliveries is now 10 days "
            "overdue. Could you check on it?",
        ),
        reply=(
            "Thanks for chasing. It was held because it charges 14 failed delivery attempts at "
            "the full rate, and our agreement bills failed attempts at half. Could you send a "
            "corrected invoice?"
        ),
        follow_up="You're right, sorry about that. Corrected invoice attached.",
        resolution=(
            "Thanks. The corrected invoice was approved and paid today, reference {ref}. It "
            "should reach you within two working days."
        ),
        tags=("supplier-invoice", "carrier"),
    ),
    _sup(
        "carrier-route-change",
        carrier_only=True,
        subjects=("Friday collection time changes next month",),
        opening=(
            "From next month our Friday collection at your Rotterdam warehouse moves from 15:00 "
            "to 13:30, because of a new route plan.",
        ),
        reply=(
            "Thanks for telling us early. With 13:30, orders placed on Friday morning would miss "
            "the van and customers would wait until Tuesday. Could you keep a second, later "
            "collection for two-person deliveries?"
        ),
        follow_up="We can add a second collection at 16:30 on Fridays, up to 20 stops.",
        resolution=(
            "That works for us. We've moved our Friday cut-off and told Customer Support, so "
            "the delivery dates customers see on the website stay honest."
        ),
        check_note=(
            "@{colleague} Atlas Freight moves the Friday collection to 13:30 from next month. "
            "Can the warehouse have two-person orders packed by 13:00 on Fridays?"
        ),
        check_reply=(
            "Thanks for the notice. I'm checking with our warehouse whether we can be ready by "
            "13:30 and will get back to you by {day}."
        ),
        tags=("carrier",),
        channels=(Channel.EMAIL, Channel.PHONE),
    ),
]
