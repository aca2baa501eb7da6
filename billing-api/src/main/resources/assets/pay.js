// The Pay button of the hosted invoice page (/i/{token}): opens Razorpay Checkout for the invoice's order and
// hands what Checkout returns to /api/v1/payments/razorpay/callback, which verifies Razorpay's signature.
// The invoice is marked paid by Razorpay's webhook; the page then shows it.
(function () {
  'use strict';
  var button = document.getElementById('pay');
  var status = document.getElementById('pay-status');
  if (!button) {
    return;
  }
  button.addEventListener('click', function () {
    if (typeof window.Razorpay !== 'function') {
      status.textContent = 'Online payment could not be loaded. Please pay by UPI or bank transfer as shown below.';
      return;
    }
    var d = button.dataset;
    var checkout = new window.Razorpay({
      key: d.key,
      order_id: d.order,
      amount: Number(d.amount),
      currency: d.currency,
      name: d.name,
      description: d.description,
      prefill: { name: d.customer, email: d.email },
      handler: function (response) {
        status.textContent = 'Payment received. Confirming with Razorpay…';
        button.disabled = true;
        fetch('/api/v1/payments/razorpay/callback', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            razorpay_order_id: response.razorpay_order_id,
            razorpay_payment_id: response.razorpay_payment_id,
            razorpay_signature: response.razorpay_signature
          })
        }).then(function () {
          // Razorpay's webhook marks the invoice paid, usually within seconds: show the page again once it has
          var tries = 0;
          (function poll() {
            fetch(window.location.href, { cache: 'no-store' }).then(function (page) {
              return page.text();
            }).then(function (html) {
              tries += 1;
              if (html.indexOf('class="state">Paid') >= 0 || tries >= 30) {
                window.location.reload();
              } else {
                setTimeout(poll, 2000);
              }
            });
          })();
        });
      },
      modal: {
        ondismiss: function () { status.textContent = 'Payment cancelled. Nothing was charged.'; }
      }
    });
    checkout.on('payment.failed', function (failure) {
      status.textContent = 'The payment failed: ' + failure.error.description + ' You can try again.';
    });
    checkout.open();
  });
})();
