"""Customers writing in German and Spanish, answered in their language (French and Portuguese:
``customers_fr_pt``)."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority


def customer(key: str, language: str, team: str = "support", **fields: object) -> Scenario:
    return Scenario(key=key, kind="customer", team=team, language=language, **fields)  # type: ignore[arg-type]


SCENARIOS = [
    # --- Deutsch ---------------------------------------------------------------------------
    customer(
        "de-beschaedigt",
        "de",
        products="fragile",
        subjects=("{product} beschädigt angekommen", "Bestellung {order}: Ware beschädigt"),
        opening=(
            "heute ist meine Bestellung {order} angekommen, leider ist der Artikel „{product}“ "
            "beschädigt. "
            "Der Karton war an einer Ecke eingedrückt. Was kann ich tun?",
        ),
        reply=(
            "das tut mir wirklich leid. Könnten Sie mir zwei, drei Fotos schicken, vom Schaden "
            "und vom Karton? Dann schicke ich Ihnen sofort Ersatz. Das beschädigte Teil müssen "
            "Sie nicht zurücksenden."
        ),
        follow_up="Fotos hängen an. Ersatz wäre super, danke!",
        resolution=(
            "Danke für die Fotos. Der Ersatz ist mit {carrier} unterwegs (Sendungsnummer "
            "{tracking}) und sollte am {day} bei Ihnen sein. Das beschädigte Teil können Sie "
            "gern behalten oder entsorgen."
        ),
        thanks="Ist heute angekommen, alles bestens. Vielen Dank!",
        check_note=(
            "@{colleague} bitte Ersatz für „{product}“ ({order}) reservieren, Transportschaden "
            "mit Fotos belegt."
        ),
        check_reply=(
            "ich habe unser Lager gebeten, Ersatz zu reservieren, und melde mich spätestens am "
            "{day} mit dem Liefertermin."
        ),
        tags=("damaged", "replacement"),
    ),
    customer(
        "de-lieferzeit",
        "de",
        team="logistics",
        subjects=("Wann kommt meine Bestellung {order}?", "Lieferung verzögert"),
        opening=(
            "ich warte seit zwei Wochen auf meine Bestellung {order} („{product}“). Die "
            "Sendungsverfolgung "
            "zeigt seit Tagen keine Bewegung. Können Sie nachsehen?",
        ),
        reply=(
            "danke für Ihre Geduld. Das Paket liegt im Depot von {carrier} in {city}. Ich habe "
            "einen Nachforschungsauftrag gestellt. Stimmt die Lieferadresse noch, auch der "
            "Name am Klingelschild?"
        ),
        follow_up="Ja, Adresse stimmt. Klingelschild: Hoffmann/Becker.",
        resolution=(
            "gute Nachricht: {carrier} hat das Paket gefunden, das Etikett war beschädigt. Es "
            "ist mit neuer Sendungsnummer {tracking} unterwegs und kommt voraussichtlich am "
            "{day}. Falls nicht, schreiben Sie mir einfach, dann schicke ich sofort ein neues."
        ),
        tags=("delivery",),
        channels=(Channel.EMAIL, Channel.PHONE),
    ),
    customer(
        "de-rechnung",
        "de",
        team="billing",
        subjects=("Rechnung {invoice} mit Firmenanschrift", "Rechnung korrigieren"),
        opening=(
            "bitte stellen Sie die Rechnung {invoice} auf unsere Firma aus: {org}, mit "
            "USt-IdNr. Unsere Buchhaltung kann sie so nicht verbuchen.",
        ),
        reply=(
            "sehr gern. Schicken Sie mir bitte die genaue Firmierung, die Anschrift und die "
            "USt-IdNr., dann stelle ich die Rechnung noch heute neu aus."
        ),
        follow_up="{org}, Torstraße 101, 10119 Berlin, USt-IdNr. DE 123456789.",
        resolution=(
            "anbei die korrigierte Rechnung {invoice}-A. Die ursprüngliche Rechnung ist "
            "storniert, damit Ihre Buchhaltung nichts doppelt hat. Die Angaben habe ich auch in "
            "Ihrem Kundenkonto gespeichert."
        ),
        tags=("invoice",),
        priority=Priority.LOW,
    ),
    customer(
        "de-ruecksendung",
        "de",
        products="small",
        subjects=("Rücksendung {product}", "Wie kann ich einen Artikel zurückschicken?"),
        opening=(
            "ich möchte den Artikel „{product}“ aus Bestellung {order} zurückgeben. Die Farbe "
            "passt leider nicht zu unserem Wohnzimmer. Es ist unbenutzt.",
        ),
        reply=(
            "natürlich, Sie sind noch gut innerhalb der 30 Tage. Das kostenlose Rücksendeetikett "
            "finden Sie in Ihrem Konto unter Bestellungen → {order}. Soll {carrier} das Paket "
            "abholen, oder bringen Sie es lieber zu einem Paketshop?"
        ),
        follow_up="Abholung wäre prima, am {day} bin ich zu Hause.",
        resolution=(
            "erledigt: {carrier} holt das Paket am {day} zwischen 8 und 18 Uhr ab. Sobald es "
            "bei uns ist, erstatten wir {amount}, meist innerhalb von drei Werktagen."
        ),
        tags=("returns",),
    ),
    customer(
        "de-lob",
        "de",
        products="big",
        subjects=("Großes Lob an Ihr Team",),
        opening=(
            "ich wollte nur sagen: Die Lieferung unserer Bestellung {order} lief perfekt, die "
            "beiden Fahrer "
            "waren super freundlich und vorsichtig. Bitte richten Sie ihnen unseren Dank aus.",
        ),
        reply=(
            "vielen Dank für Ihre netten Worte, das freut uns sehr! Ich gebe es heute noch an "
            "das Team weiter. Dürfen wir Ihre Nachricht (ohne Namen) an unserer Teamwand "
            "aufhängen?"
        ),
        follow_up="Aber gern!",
        resolution=(
            "schon passiert, die Fahrer haben sich riesig gefreut. Viel Freude mit Ihrer "
            "Bestellung!"
        ),
        tags=("praise",),
        priority=Priority.LOW,
    ),
    # --- Español ---------------------------------------------------------------------------
    customer(
        "es-pedido-retrasado",
        "es",
        team="logistics",
        subjects=("¿Dónde está mi pedido {order}?", "Pedido {order} sin llegar"),
        opening=(
            "hice el pedido {order} hace diez días («{product}») y el seguimiento de {carrier} no "
            "se mueve desde que salió del almacén. ¿Me pueden decir algo?",
        ),
        reply=(
            "gracias por su paciencia. El paquete está parado en el depósito de {carrier} en "
            "{city}; ya he abierto una reclamación. ¿Me confirma que la dirección de entrega "
            "sigue siendo correcta, con piso y puerta?"
        ),
        follow_up="Sí, es correcta: 3.º B.",
        resolution=(
            "buenas noticias: {carrier} ha encontrado el paquete, había perdido la etiqueta. Ya "
            "va de camino con el número {tracking} y llegará {day}. Si no llega ese día, "
            "escríbame y le envío otro sin esperar a la agencia."
        ),
        thanks="¡Ya lo tengo! Muchas gracias por la gestión.",
        check_note=(
            "@{colleague} paquete de {order} parado 8 días en el depósito de {carrier} en "
            "{city}. ¿Puedes reclamarlo en el portal del transportista?"
        ),
        check_reply=(
            "he pedido a nuestro equipo de logística que lo reclame hoy mismo a {carrier}. Le "
            "escribo {day} como muy tarde, tenga o no respuesta."
        ),
        tags=("delivery", "carrier"),
        channels=(Channel.EMAIL, Channel.PORTAL, Channel.CHAT),
    ),
    customer(
        "es-devolucion",
        "es",
        products="small",
        subjects=("Devolución de {product}", "Quiero devolver un artículo"),
        opening=(
            "quiero devolver el artículo «{product}» del pedido {order}. Es bonito, pero no cabe "
            "donde pensábamos. Está sin usar y en su caja.",
        ),
        reply=(
            "por supuesto, tiene 30 días y está dentro del plazo. Le he generado una etiqueta "
            "de devolución gratuita en su cuenta (Pedidos → {order}). ¿Prefiere que {carrier} "
            "lo recoja en casa o llevarlo a un punto de recogida?"
        ),
        follow_up="Que lo recojan en casa, por favor. Estoy {day} todo el día.",
        resolution=(
            "listo: {carrier} pasará {day} entre las 8:00 y las 18:00. Cuando llegue a nuestro "
            "almacén le devolvemos {amount} en el mismo método de pago, normalmente en 3 días "
            "laborables."
        ),
        tags=("returns",),
    ),
    customer(
        "es-cobro-doble",
        "es",
        team="billing",
        subjects=("Me han cobrado dos veces", "Cargo duplicado pedido {order}"),
        opening=(
            "en mi cuenta aparecen dos cargos de {amount} de Northwind el mismo día, pero solo "
            "hice un pedido ({order}). ¿Pueden devolverme uno?",
        ),
        reply=(
            "gracias por avisarnos. El primer intento de pago dio un error de tiempo y, al "
            "repetirlo, se cobraron los dos. ¿Podría enviarme una captura de los dos cargos, "
            "tapando el resto de movimientos?"
        ),
        follow_up="Adjunto la captura.",
        resolution=(
            "gracias, coincide. Hemos devuelto el cargo duplicado de {amount} (referencia {ref}). "
            "Según su banco, puede aparecer como cargo anulado en lugar de devolución."
        ),
        arrives_at="support",
        handoff=(
            "Spanish-speaking customer charged twice ({amount} x2) for {order}, looks like a "
            "checkout retry. Could someone who speaks Spanish take it? Screenshot promised."
        ),
        tags=("payment", "refund"),
        priority=Priority.HIGH,
    ),
    customer(
        "es-pregunta-producto",
        "es",
        products="washable",
        subjects=("Pregunta sobre {product}",),
        opening=(
            "antes de comprar: ¿el artículo «{product}» se puede lavar en lavadora? ¿A qué "
            "temperatura?",
        ),
        reply=(
            "buena pregunta. Sí, a 40 °C en programa delicado y sin suavizante; así conserva el "
            "tacto. ¿Le interesa también saber cómo secarlo para que no encoja?"
        ),
        follow_up="Sí, por favor.",
        resolution=(
            "mejor tendido a la sombra o en secadora a temperatura baja. Si lo compra y no le "
            "convence, tiene 30 días para devolverlo gratis."
        ),
        tags=("pre-sales",),
        channels=(Channel.CHAT, Channel.EMAIL),
        priority=Priority.LOW,
    ),
]
