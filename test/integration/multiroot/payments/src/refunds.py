"""Refunds, kept in a separate repository folder."""


def issue_refund(order, amount):
    """Refund part of an order; never more than was paid."""
    return min(amount, order["paid"])
