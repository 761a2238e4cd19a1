"""Customers writing in English about orders: deliveries, damage, returns, refunds, payments."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority

_ALL = (Channel.EMAIL, Channel.PORTAL, Channel.CHAT, Channel.PHONE)


def _en(key: str, team: str = "support", **fields: object) -> Scenario:
    return Scenario(key=key, kind="customer", team=team, language="en", **fields)  # type: ignore[arg-type]


SCENARIOS = [
    _en(
        "damaged-in-transit",
        products="fragile",
        subjects=("{product} arrived damaged", "Broken {product} in order {order}"),
        opening=(
            "My order {order} arrived this morning and the {product} is damaged. The box had a "
            "big dent on one corner and the piece inside is cracked. I've kept all the "
            "packaging. What do I do now?",
            "I'm afraid the {product} from order {order} came broken. The courier left it at the "
            "door and when I opened it there was a crack right across it. Can you help?",
        ),
        reply=(
            "I'm really sorry the {product} arrived like that; that's not the welcome it should "
            "have had. Could you send me two or three photos: the damage itself and the outside "
            "of the box? Then I can arrange a replacement straight away, and you won't need to "
            "send the broken one back."
        ),
        follow_up=(
            "Thanks for the quick answer. I've attached the photos: the crack and the dented "
            "corner of the box. A replacement would be great."
        ),
        resolution=(
            "Thank you for the photos, they make it very clear. A new {product} is on its way "
            "with {carrier} (tracking {tracking}) and should be with you by {day}. Please keep "
            "or recycle the damaged one, whatever is easier for you. I've also reported the box "
            "to our warehouse so they can pack these more carefully."
        ),
        thanks="Arrived today and it's perfect. Thank you for sorting this out so quickly!",
        check_note=(
            "@{colleague} could you check we have the {product} in stock for a replacement? "
            "Customer sent photos, damage is clearly from transit."
        ),
        check_reply=(
            "Thanks for the photos. I've asked our warehouse to reserve a replacement {product} "
            "for you and will confirm the delivery date by {day} at the latest."
        ),
        tags=("damaged", "replacement"),
        channels=(Channel.EMAIL, Channel.PORTAL, Channel.CHAT),
    ),
    _en(
        "where-is-my-order",
        subjects=("Where is order {order}?", "Order {order} not arrived yet", "Delivery status"),
        opening=(
            "I ordered the {product} ten days ago (order {order}) and the tracking hasn't moved "
            "since it left your warehouse. Can you tell me where it is?",
            "Hi, my order {order} was supposed to arrive last {day} but nothing has come and "
            "the {carrier} page just says 'in transit'. Any news?",
        ),
        reply=(
            "Thanks for your patience, and sorry for the silence from the tracking page. I've "
            "looked at order {order}: the parcel was handed to {carrier} and then stopped at "
            "their depot in {city}. I've opened an investigation with them. Could you confirm "
            "the delivery address is still correct, including the flat number?"
        ),
        follow_up="Yes, the address is right. Flat 4B, buzzer says Parker-Hill.",
        resolution=(
            "Good news: {carrier} found the parcel. It had lost its label at the depot. It's "
            "back on the road with a new label ({tracking}) and is due {day}. If it doesn't "
            "show up that day, just reply here and I'll send a new one without waiting for "
            "the carrier."
        ),
        thanks="It came this morning. Thanks for chasing them!",
        check_note=(
            "@{colleague} {carrier} parcel for {order} stuck at the {city} depot for 8 days. Can "
            "you raise it on the carrier portal? I promised the customer an update by {day}."
        ),
        check_reply=(
            "I've asked {carrier} to find the parcel and our logistics team is chasing them "
            "today. I'll write to you by {day} whatever the answer, so you're not left waiting."
        ),
        tags=("delivery", "carrier"),
        channels=_ALL,
    ),
    _en(
        "return-request",
        products="small",
        subjects=("Return the {product}", "How do I send back the {product}?"),
        opening=(
            "I'd like to return the {product} from order {order}. It's lovely but it doesn't "
            "fit the space we had in mind. It's unused and still in the box.",
            "Could I return the {product}? The colour is quite different from the photos on "
            "the website. Order {order}.",
        ),
        reply=(
            "Of course. You have 30 days, so you're well within time. I've created a free return "
            "label for you; you'll find it in your account under Orders → {order} → Return. "
            "Would you like {carrier} to collect it from home, or would you rather drop it off "
            "at a parcel shop?"
        ),
        follow_up="Collection would be easiest. I'm home on {day} all day.",
        resolution=(
            "Done: {carrier} will collect on {day} between 8:00 and 18:00. Once the parcel "
            "reaches our warehouse the refund of {amount} goes back to your original payment "
            "method, usually within 3 working days. I'll keep an eye on it."
        ),
        thanks="Collected this morning, thanks for making it so easy.",
        tags=("returns",),
    ),
    _en(
        "refund-not-received",
        team="billing",
        subjects=("Refund not received", "Still waiting for my refund ({order})"),
        opening=(
            "I returned the {product} three weeks ago and the tracking shows you received it on "
            "the 3rd, but I still don't have the refund of {amount}. Order {order}.",
            "Where is my refund? The return for order {order} was delivered to you ages ago.",
        ),
        reply=(
            "You're right, and I'm sorry: your return arrived on time and the refund should have "
            "gone out already. I can see it was held because the item was logged against the "
            "wrong order line. I've corrected that. Could you confirm whether you paid by card "
            "or PayPal, so I can tell you exactly when to expect it?"
        ),
        follow_up="It was by card, a Visa ending in 4417.",
        resolution=(
            "Thanks. The refund of {amount} was issued to your Visa ending in 4417 today. Banks "
            "usually show it within 3 to 5 working days. Your reference is {ref} if your bank "
            "asks. I'm sorry you had to chase us for money that was yours."
        ),
        thanks="I can see it on my statement now. Thanks for your help.",
        arrives_at="support",
        handoff=(
            "Return for {order} was received on time but the refund of {amount} never went out. "
            "Looks like the item was booked to the wrong order line. Customer has chased "
            "twice already, so please handle it today."
        ),
        tags=("refund",),
        priority=Priority.HIGH,
    ),
    _en(
        "double-charge",
        team="billing",
        subjects=("Charged twice for order {order}", "Double payment"),
        opening=(
            "My bank shows two payments of {amount} to Northwind on the same day, but I only "
            "placed one order ({order}). Can you refund the second one please?",
        ),
        reply=(
            "Thank you for telling us. I can see what happened: the first payment attempt timed "
            "out on our side, you tried again and both went through. Only one of them is "
            "attached to order {order}. Could you send me a screenshot of the two lines on your "
            "statement, with anything else hidden? That lets me match the second one."
        ),
        follow_up="Screenshot attached, I've blacked out everything else.",
        resolution=(
            "Thanks, that matched. The duplicate payment of {amount} has been refunded (reference "
            "{ref}). Depending on your bank it may show as a cancelled payment rather than a "
            "refund. We've also reported the timeout to our payment provider."
        ),
        arrives_at="support",
        handoff=(
            "Customer was charged twice ({amount} x2) for {order}; looks like a checkout retry. "
            "They are calm but would like the money back before the weekend."
        ),
        tags=("payment", "refund"),
        priority=Priority.HIGH,
    ),
    _en(
        "missing-part",
        products="assembly",
        subjects=("Missing screws for the {product}", "Part missing from {product}"),
        opening=(
            "We've started assembling the {product} but the bag of fittings is missing the "
            "small screws (part C in the manual). We can't finish it without them.",
            "The {product} came without the hardware pack. Everything else is there. Order "
            "{order}.",
        ),
        reply=(
            "Sorry about that; a half-built piece of furniture in the middle of the room is no "
            "fun. Parts are quick for us to send. Could you tell me which letters are missing "
            "according to the list on page 2 of the manual?"
        ),
        follow_up="Part C (8 screws) and part F (2 wall brackets).",
        resolution=(
            "A fittings pack with parts C and F is on its way by letter post, no signature "
            "needed. It should arrive {day}. I've added two spare screws in case one goes "
            "astray under the sofa."
        ),
        thanks="Got them, all built now. Thanks!",
        tags=("missing-parts",),
        channels=_ALL,
    ),
    _en(
        "change-delivery-date",
        products="big",
        team="logistics",
        subjects=("Change delivery date for {order}", "Can I move my delivery?"),
        opening=(
            "The two-person delivery for the {product} is booked for {day}, but we've had to "
            "move our moving day. Is it possible to push it back a week?",
        ),
        reply=(
            "No problem at all. {carrier} has slots available the following week on Tuesday "
            "(8:00 to 12:00) and Thursday (12:00 to 17:00). Which suits you better?"
        ),
        follow_up="Thursday afternoon please.",
        resolution=(
            "You're booked for Thursday between 12:00 and 17:00. The drivers will call about "
            "30 minutes before they arrive. They'll carry the {product} to the room you choose "
            "and take the packaging away. Good luck with the move!"
        ),
        tags=("delivery",),
        channels=(Channel.EMAIL, Channel.PHONE, Channel.CHAT),
    ),
    _en(
        "wrong-item",
        products="small",
        subjects=("Wrong item delivered", "Received the wrong colour ({order})"),
        opening=(
            "I ordered the {product} but received the {product2} instead. Order {order}. We "
            "need the right one for this weekend if at all possible.",
        ),
        reply=(
            "I'm so sorry, that's our mistake, not yours. I've reserved the right {product} for "
            "you. To get it there before the weekend I'd like to send it by express today. Is "
            "someone at home tomorrow between 9 and 13 to receive it?"
        ),
        follow_up="Yes, I'm working from home tomorrow.",
        resolution=(
            "The {product} is on the express van ({tracking}), arriving tomorrow morning. The "
            "driver will take the {product2} back at the same time, so you don't need to do "
            "anything except hand it over. Have a lovely weekend."
        ),
        thanks="All swapped, thank you. Great service.",
        check_note=(
            "@{colleague} mis-pick on {order}: {product2} sent instead of {product}. Can we "
            "get the right one on today's express collection?"
        ),
        check_reply=(
            "I've asked the warehouse to put the right {product} on today's express collection. "
            "I'll confirm the tracking number as soon as I have it, within the next few hours."
        ),
        tags=("wrong-item",),
        priority=Priority.HIGH,
    ),
    _en(
        "late-furniture-complaint",
        products="big",
        team="logistics",
        subjects=("Sofa delivery missed AGAIN", "Second missed delivery for {order}"),
        opening=(
            "This is the second time the delivery of our {product} has been missed. I took a "
            "day off work for it, waited from 8 to 6, and nobody came or called. I'm really "
            "disappointed. What are you going to do about it?",
        ),
        reply=(
            "I'm truly sorry. Two lost days off work is a real cost to you, and you deserved a "
            "call at the very least. I'm taking this on personally. {carrier} has admitted the "
            "route was overbooked. I can offer you the first slot on {day}, with a named "
            "driver who will call you the day before. Would that work?"
        ),
        follow_up="OK, {day} works. But I want some compensation for the two days.",
        resolution=(
            "That's fair. I've refunded the delivery charge and added a goodwill refund of "
            "{amount} for the lost days (reference {ref}). The driver, Marco, will call you the "
            "evening before. I'll check in with you after the delivery to make sure all went "
            "well."
        ),
        thanks="Delivered, Marco was great. Thanks for taking it seriously.",
        check_note=(
            "@{colleague} second missed delivery on {order}. Please get a confirmed named slot "
            "from {carrier} for {day}, not a window. Customer has lost two days off work."
        ),
        check_reply=(
            "I've escalated this with {carrier}'s planning team and asked for a confirmed slot "
            "with a named driver. I'll call you tomorrow by noon with the details."
        ),
        tags=("complaint", "delivery"),
        priority=Priority.URGENT,
        channels=(Channel.EMAIL, Channel.PHONE),
    ),
    _en(
        "cancel-order",
        subjects=("Cancel order {order}", "Please cancel my order"),
        opening=(
            "I placed order {order} an hour ago by mistake (I already have the {product}). "
            "Can you cancel it before it ships?",
        ),
        reply=(
            "I caught it in time: order {order} hadn't been picked yet, so I've cancelled it. "
            "Did you want to keep anything else from the basket, or cancel everything?"
        ),
        follow_up="Everything please. Thanks for being quick!",
        resolution=(
            "Everything is cancelled and the payment of {amount} has been released. Card "
            "payments that were only reserved usually disappear within 2 days."
        ),
        tags=("cancellation",),
        channels=_ALL,
    ),
]
