import braintree

gateway = braintree.BraintreeGateway(
    access_token="<<ward:SEC-136>>"
)
