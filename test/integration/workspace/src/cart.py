"""Shopping cart totals."""
from dataclasses import dataclass

from mathutil import add


@dataclass
class CartItem:
    name: str
    price: float
    quantity: int


def line_total(item):
    """Price of one line of the cart."""
    return item.price * item.quantity


def cart_total(items):
