// Every htmx request carries the session's CSRF token, also when it sends no form.
document.addEventListener('htmx:configRequest', function (event) {
  var token = document.querySelector('meta[name="csrf-token"]');
  if (token) {
    event.detail.headers['X-CSRF-Token'] = token.content;
  }
});
