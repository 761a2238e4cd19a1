"""Customers writing in German, Spanish, French and Portuguese, answered in their language."""

from __future__ import annotations

from helpmate.demo.scenarios import Scenario
from helpmate.desk.models import Channel, Priority


def _c(key: str, language: str, team: str = "support", **fields: object) -> Scenario:
    return Scenario(key=key, kind="customer", team=team, language=language, **fields)  # type: ignore[arg-type]


SCENARIOS = [
    # --- Deutsch ---------------------------------------------------------------------------
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    _c(
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
    # --- Français --------------------------------------------------------------------------
    _c(
        "fr-colis-abime",
        "fr",
        products="fragile",
        subjects=("{product} arrivé abîmé", "Commande {order} endommagée"),
        opening=(
            "j'ai reçu ma commande {order} ce matin, mais l'article « {product} » est abîmé : le "
            "carton était "
            "enfoncé et il y a une fissure. Que dois-je faire ?",
        ),
        reply=(
            "je suis vraiment désolé. Pouvez-vous m'envoyer deux ou trois photos, du dommage et "
            "du carton ? J'organise ensuite un remplacement tout de suite, sans que vous ayez à "
            "renvoyer l'article abîmé."
        ),
        follow_up="Voici les photos. Un remplacement serait parfait, merci.",
        resolution=(
            "merci pour les photos. Le remplacement est parti avec {carrier} (suivi {tracking}) "
            "et devrait arriver {day}. Vous pouvez garder ou jeter l'article abîmé."
        ),
        thanks="Bien reçu, tout est parfait. Merci beaucoup !",
        check_note=(
            "@{colleague} peux-tu réserver un remplacement « {product} » pour {order} ? Dommage "
            "de transport, photos reçues."
        ),
        check_reply=(
            "j'ai demandé à notre entrepôt de réserver le remplacement et je vous confirme la "
            "date de livraison {day} au plus tard."
        ),
        tags=("damaged", "replacement"),
    ),
    _c(
        "fr-facture",
        "fr",
        team="billing",
        subjects=("Facture {invoice} au nom de la société", "Facture à corriger"),
        opening=(
            "pourriez-vous établir la facture {invoice} au nom de notre société, {org}, avec "
            "notre numéro de TVA ? Notre comptable ne peut pas l'enregistrer ainsi.",
        ),
        reply=(
            "bien sûr. Envoyez-moi la raison sociale exacte, l'adresse et le numéro de TVA, et "
            "je vous renvoie la facture aujourd'hui."
        ),
        follow_up="{org}, 8 rue des Tanneurs, {city}. TVA FR 12 345678901.",
        resolution=(
            "voici la facture corrigée {invoice}-A. L'originale est annulée pour éviter les "
            "doublons. J'ai aussi enregistré ces informations sur votre compte."
        ),
        tags=("invoice",),
        priority=Priority.LOW,
    ),
    _c(
        "fr-livraison-manquee",
        "fr",
        products="big",
        team="logistics",
        subjects=("Livraison manquée", "Personne n'est venu livrer ma commande"),
        opening=(
            "j'ai attendu toute la journée la livraison de ma commande {order} (« {product} ») et "
            "personne n'est venu, sans appel ni message. J'avais pris un jour de congé. C'est "
            "très décevant.",
        ),
        reply=(
            "je suis sincèrement désolé : une journée de congé perdue, ce n'est pas rien. Je "
            "m'en occupe personnellement. {carrier} me propose le premier créneau {day}, avec "
            "un appel la veille. Cela vous convient-il ?"
        ),
        follow_up="D'accord pour {day}. J'espère que cette fois ce sera la bonne.",
        resolution=(
            "c'est confirmé pour {day}, le chauffeur vous appellera la veille au soir. J'ai "
            "remboursé les frais de livraison ({amount}, référence {ref}) pour le dérangement. "
            "Je vous recontacte après la livraison pour m'assurer que tout s'est bien passé."
        ),
        tags=("complaint", "delivery"),
        priority=Priority.URGENT,
        channels=(Channel.EMAIL, Channel.PHONE),
    ),
    _c(
        "fr-question",
        "fr",
        products="bath",
        subjects=("Question sur {product}",),
        opening=(
            "l'article « {product} » convient-il à une salle de bain sans fenêtre ? J'ai peur "
            "de l'humidité.",
        ),
        reply=(
            "bonne question. Avec une utilisation normale et une aération, oui ; en revanche la "
            "vapeur permanente l'abîmerait. Voulez-vous que je vous conseille une alternative "
            "plus résistante ?"
        ),
        follow_up="Oui, volontiers.",
        resolution=(
            "l'article « {product2} » est conçu pour cela : traité contre l'humidité, il supporte "
            "la vapeur. Et si cela ne convient pas, vous avez 30 jours pour le retourner "
            "gratuitement."
        ),
        tags=("pre-sales",),
        channels=(Channel.CHAT, Channel.EMAIL),
        priority=Priority.LOW,
    ),
    # --- Português -------------------------------------------------------------------------
    _c(
        "pt-encomenda-atrasada",
        "pt",
        team="logistics",
        subjects=("Onde está a minha encomenda {order}?", "Encomenda atrasada"),
        opening=(
            "fiz a encomenda {order} («{product}») há duas semanas e o seguimento da {carrier} "
            "não muda há dias. Podem verificar, por favor?",
        ),
        reply=(
            "obrigado pela paciência. A encomenda está parada no armazém da {carrier} em {city}; "
            "já abri uma reclamação. Pode confirmar se a morada de entrega está correta?"
        ),
        follow_up="Sim, a morada está correta.",
        resolution=(
            "boas notícias: a {carrier} encontrou a encomenda, tinha perdido a etiqueta. Já "
            "segue com o número {tracking} e deve chegar {day}. Se não chegar, diga-me e envio "
            "outra de imediato."
        ),
        tags=("delivery",),
    ),
    _c(
        "pt-reembolso",
        "pt",
        team="billing",
        subjects=("Reembolso ainda não recebido", "Reembolso da encomenda {order}"),
        opening=(
            "devolvi o artigo «{product}» há três semanas e ainda não recebi o reembolso de "
            "{amount}. Encomenda {order}.",
        ),
        reply=(
            "tem toda a razão e peço desculpa. A devolução chegou a tempo, mas o reembolso "
            "ficou retido por um erro nosso, que já corrigi. Pagou com cartão ou MB Way?"
        ),
        follow_up="Com cartão.",
        resolution=(
            "o reembolso de {amount} foi emitido hoje para o seu cartão (referência {ref}). "
            "Normalmente aparece em 3 a 5 dias úteis. Peço desculpa por ter tido de insistir."
        ),
        thanks="Já recebi. Obrigado pela ajuda!",
        tags=("refund",),
        priority=Priority.HIGH,
    ),
    _c(
        "pt-pecas",
        "pt",
        products="assembly",
        subjects=("Faltam parafusos para {product}",),
        opening=(
            "estamos a montar o artigo «{product}», mas falta o saco de parafusos (peça C do "
            "manual). Não conseguimos terminar.",
        ),
        reply=(
            "peço desculpa pelo incómodo. Pode dizer-me que letras faltam, segundo a lista da "
            "página 2 do manual?"
        ),
        follow_up="A peça C (8 parafusos) e a F (2 suportes).",
        resolution=(
            "o kit com as peças C e F já seguiu por correio e deve chegar {day}. Juntei dois "
            "parafusos extra, por precaução."
        ),
        tags=("missing-parts",),
        channels=(Channel.EMAIL, Channel.CHAT, Channel.PORTAL),
    ),
]
