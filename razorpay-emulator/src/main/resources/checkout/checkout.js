// The Razorpay emulator's stand-in for https://checkout.razorpay.com/v1/checkout.js: the same API
// (new Razorpay(options), .on('payment.failed', fn), .open()), a modal frame with the emulator's checkout
// page, and the same outcomes: options.handler gets {razorpay_payment_id, razorpay_order_id,
// razorpay_signature}; a failure calls the 'payment.failed' handler with {error}; closing calls
// options.modal.ondismiss.
(function () {
  'use strict';
  var origin = new URL(document.currentScript.src).origin;

  function Razorpay(options) {
    if (!options || !options.key || !options.order_id) {
      throw new Error('Razorpay: key and order_id are required');
    }
    this.options = options;
    this.handlers = {};
  }

  Razorpay.prototype.on = function (event, handler) {
    this.handlers[event] = handler;
  };

  Razorpay.prototype.open = function () {
    var self = this;
    var o = this.options;
    var query = ['key_id=' + encodeURIComponent(o.key), 'order_id=' + encodeURIComponent(o.order_id),
      'amount=' + encodeURIComponent(o.amount || ''), 'currency=' + encodeURIComponent(o.currency || 'INR'),
      'name=' + encodeURIComponent(o.name || ''), 'description=' + encodeURIComponent(o.description || ''),
      'email=' + encodeURIComponent((o.prefill && o.prefill.email) || '')].join('&');
    var frame = document.createElement('iframe');
    frame.src = origin + '/checkout/v1/pay?' + query;
    frame.title = 'Razorpay Checkout';
    frame.id = 'razorpay-checkout-frame';
    frame.style.cssText = 'position:fixed;top:0;left:0;width:100%;height:100%;border:0;z-index:2147483647;'
      + 'background:rgba(0,0,0,0.5)';
    function listener(event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) {
        return;
      }
      var message = event.data || {};
      window.removeEventListener('message', listener);
      frame.parentNode.removeChild(frame);
      if (message.type === 'success' && o.handler) {
        o.handler(message.response);
      } else if (message.type === 'failed' && self.handlers['payment.failed']) {
        self.handlers['payment.failed']({ error: message.error });
      } else if (message.type === 'dismissed' && o.modal && o.modal.ondismiss) {
        o.modal.ondismiss();
      }
    }
    window.addEventListener('message', listener);
    document.body.appendChild(frame);
  };

  window.Razorpay = Razorpay;
})();
