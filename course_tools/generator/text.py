"""Phrase banks for the synthetic reviews (instructor material: it shows what is planted).

Each segment writes about its own topics. A review is a few sentences drawn from
its segment's bank (and sometimes the generic bank), positive or negative
depending on the star rating, plus occasional mixed sentences, intensifiers
and typos. ``{int}`` becomes an intensifier (or nothing), ``{product}`` a
product the customer bought.
"""

from __future__ import annotations

INTENSIFIERS = ("", "", "", "really ", "very ", "so ", "absolutely ", "really really ", "extremely ")

BANKS: dict[str, dict[str, tuple[str, ...]]] = {
    "bargain hunters": {
        "pos": (
            "{int}good value for money.",
            "Great price for what you get.",
            "Bought it in the sale, {int}cheap and does the job.",
            "Cheaper than the supermarket and just as good.",
            "Used a discount code, brilliant deal.",
            "You can't beat the price.",
            "Half price in the sale, {int}pleased with the bargain.",
            "The offer made it worth it, I will wait for the next discount.",
            "Decent for the price.",
            "Got three for the price of two, bargain!",
            "Cheap deals every week, love it.",
            "Free delivery over twenty pounds, great value.",
            "The {product} was on offer and it is {int}good value.",
        ),
        "neg": (
            "Not worth the price.",
            "Too expensive for what it is.",
            "The discount code didn't work at checkout.",
            "Cheap and it feels cheap.",
            "The price went up the day after I bought it, wasn't happy.",
            "You can find it cheaper elsewhere.",
            "Not a bargain at all once you add postage.",
            "Waited for a sale that never came, overpriced.",
            "The deal was not as good as advertised.",
            "The {product} is not worth the money, even with the discount.",
        ),
        "mixed": (
            "Cheap but it does the job.",
            "Good price but the {product} feels flimsy.",
            "Nice deal, shame the discount only applied to one item.",
        ),
    },
    "loyal premium": {
        "pos": (
            "The quality is {int}excellent.",
            "Beautiful craftsmanship, you can tell it is made to last.",
            "Fast delivery and lovely packaging as always.",
            "Customer service were {int}helpful when I had a question.",
            "Superb quality, worth every penny.",
            "Arrived the next day, beautifully packaged.",
            "Solid, well made and elegant.",
            "Another flawless order, the service never disappoints.",
            "Premium materials and a {int}beautiful finish.",
            "The {product} is {int}well made, the quality is outstanding.",
            "Quick delivery, careful packaging, excellent quality.",
            "I keep coming back for the quality and the service.",
        ),
        "neg": (
            "The quality was not what I expect from Larkspur.",
            "Packaging was damaged and the {product} was scratched.",
            "Not as well made as the previous one I bought.",
            "Customer service took a week to answer, disappointing.",
            "The finish is not as premium as the photos suggest.",
            "The craftsmanship has gone downhill, not impressed.",
        ),
        "mixed": (
            "Great quality but delivery was slow.",
            "Beautiful craftsmanship, although the packaging was excessive.",
            "Excellent {product} but the service was slower than usual.",
        ),
    },
    "occasional gift buyers": {
        "pos": (
            "Bought it as a gift for my mum and she loved it.",
            "Perfect present, the gift wrapping was {int}lovely.",
            "Arrived in time for Christmas, beautifully wrapped.",
            "Great birthday gift idea.",
            "The gift message was a nice touch.",
            "My sister was {int}happy with her present.",
            "Lovely gift box, looked expensive.",
            "The {product} made a {int}lovely gift.",
            "Ordered a present for a friend, the wrapping was perfect.",
        ),
        "neg": (
            "Gift wrapping was missing even though I paid for it.",
            "Didn't arrive in time for Christmas, so no present.",
            "The gift message was not included.",
            "Bought as a present but it looked cheap when unwrapped.",
            "Not a nice gift, the {product} arrived in a plain bag.",
        ),
        "mixed": (
            "Lovely gift, shame about the wrapping.",
            "Nice present but it arrived the day after the birthday.",
        ),
    },
    "new customers": {
        "pos": (
            "First order and {int}impressed.",
            "Easy to order on the app, will shop again.",
            "Found Larkspur on Instagram, glad I tried it.",
            "Smooth checkout and quick delivery for a first order.",
            "Good first impression, the {product} is lovely.",
            "New to Larkspur and {int}happy so far.",
        ),
        "neg": (
            "First order and not impressed.",
            "The app kept crashing at checkout.",
            "Not sure I will order again.",
            "Took ages to set up an account.",
            "The welcome discount never arrived.",
        ),
        "mixed": (
            "Nice {product} but the app is confusing.",
            "Good first order, although delivery took a while.",
        ),
    },
    "lapsed": {
        "pos": (
            "The {product} was fine once it finally arrived.",
            "Used to order a lot, the quality was good back then.",
            "Refund came through eventually.",
        ),
        "neg": (
            "Delivery was {int}late, over two weeks.",
            "Returned it and I'm still waiting for the refund.",
            "The return process was a nightmare.",
            "Item arrived broken and nobody answered my emails.",
            "Wrong item delivered, had to send it back.",
            "Late delivery again, I won't be ordering again.",
            "Wasn't happy with the quality, sent it back.",
            "The courier left it in the rain, the box was soaked.",
            "Never received my refund.",
            "Not good at all.",
            "The {product} was damaged and the replacement was late too.",
            "{int}disappointed, the delivery problems are not fixed.",
        ),
        "mixed": (
            "Nice design but it arrived late and damaged.",
            "Good product, terrible returns process.",
        ),
    },
    "generic": {
        "pos": (
            "{int}happy with the {product}.",
            "Would recommend.",
            "Does what it says.",
            "Looks lovely in the kitchen.",
            "Five stars.",
            "{int}pleased.",
            "Exactly as described.",
        ),
        "neg": (
            "Not what I expected.",
            "Wouldn't recommend.",
            "The {product} broke after a month.",
            "The colour is different from the photos.",
            "Not great.",
        ),
        "mixed": (
            "Love the design but it's too small.",
            "Arrived late but well packaged.",
        ),
    },
}

#: correct spelling -> planted typo (applied to a few occurrences)
TYPOS = {
    "quality": "qualty",
    "delivery": "delivry",
    "received": "recieved",
    "definitely": "definately",
    "really": "realy",
    "beautiful": "beautifull",
    "arrived": "arived",
    "recommend": "reccomend",
    "wrapping": "wraping",
    "discount": "discont",
    "service": "servise",
    "packaging": "packagin",
    "excellent": "excelent",
    "disappointed": "dissapointed",
    "expensive": "expensiv",
}

#: templates for the planted personal data (about 1% of reviews)
PII_TEMPLATES = (
    " You can reach me on {phone}.",
    " Email me at {email} if you need more details.",
    " - {full_name}",
    " Call {phone} or write to {email}.",
    " Thanks, {full_name} ({email})",
)
