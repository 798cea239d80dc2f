// "/" anywhere on a page goes to the app bar's search box (as on GitHub or MDN), unless the user is typing in a field.
// A file of its own, not an inline script: the Content-Security-Policy admits scripts from the app only.
document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) {
        return;
    }
    var target = e.target;
    if (target instanceof Element && (target.isContentEditable || target.closest('input, textarea, select, [contenteditable]'))) {
        return;
    }
    var input = document.getElementById('app-search-input');
    if (!input) {
        return;
    }
    e.preventDefault();
    if (input.offsetParent === null) {
        // On a phone the box is folded into an icon: open it (the component focuses the box once it shows).
        var open = document.querySelector('[data-search-open]');
        if (open) {
            open.click();
        }
        return;
    }
    input.focus();
    input.select();
});
