"""Orders of the shop."""


def place_order(cart, customer):
    """Create an order for the customer from the cart."""
    return {"customer": customer, "items": list(cart)}
