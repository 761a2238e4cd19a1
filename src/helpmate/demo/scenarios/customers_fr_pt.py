"""Customers writing in French and Portuguese, answered in their language."""

from __future__ import annotations

from helpmate.demo.scenarios.customers_intl import customer
from helpmate.desk.models import Channel, Priority

SCENARIOS = [
    # --- Français --------------------------------------------------------------------------
    customer(
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
    customer(
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
    customer(
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
    customer(
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
    customer(
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
    customer(
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
    customer(
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
