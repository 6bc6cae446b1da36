/// The script that reads the page as the agent sees it: the interactive elements in or near the viewport (links,
/// buttons, inputs, selects, textareas, summaries, elements with an interactive ARIA role, a click handler, a
/// tab stop or `contenteditable`), each with its role, accessible name, tag, box, stable locator and a CSS
/// selector; and a digest of what is visible (the text, the form values, the controls' states, the scroll
/// position) for loop detection. The elements are kept, in the order numbered, in a non-enumerable property of
/// `window` under `Symbol.for('stageflow.marks')`, where `PageAnalyzer.elementExpression(_:)` finds them.
enum PageAnalysisScript {
    /// The expression, listing at most `maxElements`.
    static func expression(maxElements: Int) -> String {
        """
        (() => {
          const MAX = \(maxElements);
          const vw = window.innerWidth, vh = window.innerHeight;
          const INTERACTIVE_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem',
            'menuitemcheckbox', 'menuitemradio', 'option', 'combobox', 'textbox', 'searchbox', 'slider', 'spinbutton',
            'listbox', 'treeitem', 'gridcell']);
          const clean = (text) => (text || '').replace(/\\s+/g, ' ').trim();
          const cap = (text, n) => text.length > n ? text.slice(0, n - 1) + '…' : text;
          const implicitRole = (el) => {
            const tag = el.tagName.toLowerCase();
            if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : 'generic';
            if (tag === 'button' || tag === 'summary') return 'button';
            if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
            if (tag === 'textarea') return 'textbox';
            if (tag === 'option') return 'option';
            if (tag === 'input') {
              const type = (el.getAttribute('type') || 'text').toLowerCase();
              if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
              if (type === 'checkbox') return 'checkbox';
              if (type === 'radio') return 'radio';
              if (type === 'range') return 'slider';
              if (type === 'number') return 'spinbutton';
              if (type === 'search') return 'searchbox';
              return 'textbox';
            }
            if (el.isContentEditable) return 'textbox';
            return 'generic';
          };
          const roleOf = (el) => (el.getAttribute('role') || '').trim().split(/\\s+/)[0] || implicitRole(el);
          const textOf = (id) => { const t = document.getElementById(id); return t ? clean(t.textContent) : ''; };
          const nameOf = (el) => {
            const labelledBy = el.getAttribute('aria-labelledby');
            if (labelledBy) { const n = clean(labelledBy.split(/\\s+/).map(textOf).join(' ')); if (n) return n; }
            const aria = clean(el.getAttribute('aria-label'));
            if (aria) return aria;
            const tag = el.tagName.toLowerCase();
            if (tag === 'input' || tag === 'select' || tag === 'textarea') {
              const type = (el.getAttribute('type') || '').toLowerCase();
              if (['button', 'submit', 'reset'].includes(type)) return clean(el.value) || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : '');
              if (type === 'image') return clean(el.getAttribute('alt'));
              if (el.labels && el.labels.length) { const n = clean(Array.from(el.labels).map((l) => l.textContent).join(' ')); if (n) return n; }
              const other = clean(el.getAttribute('title')) || clean(el.getAttribute('placeholder'));
              if (other) return other;
              return '';
            }
            const text = clean(el.innerText !== undefined ? el.innerText : el.textContent);
            if (text) return text;
            const img = el.querySelector && el.querySelector('img[alt]');
            if (img) { const n = clean(img.getAttribute('alt')); if (n) return n; }
            return clean(el.getAttribute('title'));
          };
          const interactive = (el) => {
            if (el.closest('[inert]')) return false;
            const tag = el.tagName.toLowerCase();
            if (tag === 'input') return (el.getAttribute('type') || '').toLowerCase() !== 'hidden';
            if (tag === 'a') return el.hasAttribute('href');
            if (['button', 'select', 'textarea', 'summary'].includes(tag)) return true;
            if (INTERACTIVE_ROLES.has(roleOf(el))) return true;
            if (el.hasAttribute('onclick') || typeof el.onclick === 'function') return true;
            if (el.isContentEditable && (el.parentElement === null || !el.parentElement.isContentEditable)) return true;
            const tabindex = el.getAttribute('tabindex');
            return tabindex !== null && parseInt(tabindex, 10) >= 0;
          };
          const visible = (el, r) => {
            if (r.width < 2 || r.height < 2) return false;
            const s = getComputedStyle(el);
            return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0.05;
          };
          const cssPath = (el) => {
            if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
            const parts = [];
            let node = el;
            while (node && node.nodeType === 1 && node !== document.documentElement && parts.length < 6) {
              if (node !== el && node.id && document.querySelectorAll('#' + CSS.escape(node.id)).length === 1) {
                parts.unshift('#' + CSS.escape(node.id));
                return parts.join(' > ');
              }
              let part = node.tagName.toLowerCase();
              const parent = node.parentElement;
              if (parent) {
                const same = Array.from(parent.children).filter((c) => c.tagName === node.tagName);
                if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
              }
              parts.unshift(part);
              node = parent;
            }
            return parts.join(' > ');
          };
          const quote = (text) => text.replace(/\\\\/g, '\\\\\\\\').replace(/"/g, '\\\\"');
          const selectorList = 'a[href], area[href], button, input, select, textarea, summary, [role], [onclick], [tabindex], [contenteditable]';
          const found = [];
          const seen = new Set();
          const consider = (el) => {
            if (seen.has(el) || !interactive(el)) return;
            seen.add(el);
            found.push(el);
          };
          document.querySelectorAll(selectorList).forEach(consider);
          // Elements given a click handler by script only show it as a property.
          const all = document.body ? document.body.getElementsByTagName('*') : [];
          for (let i = 0; i < all.length && i < 5000; i++) if (typeof all[i].onclick === 'function') consider(all[i]);
          found.sort((a, b) => a === b ? 0 : (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
          // Locators are numbered over the whole page, so an element's locator does not depend on the scroll position.
          const counts = new Map();
          const entries = [];
          for (const el of found) {
            const role = roleOf(el);
            const name = cap(nameOf(el), 80);
            const key = role + '|' + name;
            const nth = counts.get(key) || 0;
            counts.set(key, nth + 1);
            const r = el.getBoundingClientRect();
            if (!visible(el, r)) continue;
            if (r.bottom < -vh || r.top > 2 * vh || r.right < 0 || r.left > vw) continue;
            entries.push({ el, role, name, nth, r });
          }
          const inView = (e) => e.r.bottom > 0 && e.r.top < vh;
          const chosen = entries.filter(inView).concat(entries.filter((e) => !inView(e))).slice(0, MAX);
          const elements = chosen.map((e, i) => {
            const el = e.el;
            const tag = el.tagName.toLowerCase();
            const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : null;
            let locator = e.name ? 'role=' + e.role + '[name="' + quote(e.name) + '"]' : 'css=' + cssPath(el);
            if (e.name && e.nth > 0) locator += ' >> nth=' + e.nth;
            const entry = {
              index: i + 1, role: e.role, name: e.name, tag, type, locator, selector: cssPath(el),
              box: { x: e.r.left, y: e.r.top, width: e.r.width, height: e.r.height },
              inViewport: inView(e), disabled: !!(el.disabled || el.getAttribute('aria-disabled') === 'true'),
              html: cap(el.outerHTML.replace(/\\s+/g, ' '), 200)
            };
            if (tag === 'select') {
              entry.value = el.selectedOptions && el.selectedOptions[0] ? clean(el.selectedOptions[0].text) : '';
              entry.options = Array.from(el.options).slice(0, 20).map((o) => clean(o.text) || o.value);
            } else if (tag === 'input' || tag === 'textarea') {
              if (type === 'checkbox' || type === 'radio') entry.checked = !!el.checked;
              else if (type === 'password') entry.value = el.value ? '•••' : '';
              else if (!['button', 'submit', 'reset', 'image'].includes(type || '')) entry.value = cap(el.value || '', 80);
            }
            const expanded = el.getAttribute('aria-expanded');
            if (expanded !== null) entry.expanded = expanded === 'true';
            return entry;
          });
          Object.defineProperty(window, Symbol.for('stageflow.marks'), { value: chosen.map((e) => e.el), configurable: true, enumerable: false, writable: true });
          // FNV-1a over what a person sees: the text, the controls' states and values, the scroll position.
          let hash = 0x811c9dc5;
          const feed = (text) => { for (let i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; } };
          feed(location.href + '\\n' + document.title + '\\n');
          feed(document.body ? (document.body.innerText || '') : '');
          for (const e of elements) feed('\\n' + e.role + '|' + e.name + '|' + e.disabled + '|' + (e.value ?? '') + '|' + (e.checked ?? '') + '|' + (e.expanded ?? ''));
          document.querySelectorAll('input, textarea, select').forEach((el) => feed('|' + (el.type === 'password' ? (el.value ? '*' : '') : (el.value || '')) + (el.checked ? '1' : '0')));
          feed('\\n' + Math.round(window.scrollY / Math.max(1, vh / 4)));
          return {
            url: location.href, title: document.title,
            viewport: { width: vw, height: vh, scrollX: window.scrollX, scrollY: window.scrollY,
              pageHeight: document.documentElement ? document.documentElement.scrollHeight : vh },
            elements, interactiveCount: entries.length, digest: hash.toString(16).padStart(8, '0')
          };
        })()
        """
    }

    /// Draws a numbered box on each listed element in the viewport, in a shadow root laid over the page that takes no
    /// clicks; `removeOverlay` takes it away.
    static let drawOverlay = """
        (() => {
          const marks = window[Symbol.for('stageflow.marks')] || [];
          const old = document.getElementById('stageflow-marks-overlay');
          if (old) old.remove();
          const host = document.createElement('div');
          host.id = 'stageflow-marks-overlay';
          host.style.cssText = 'position:fixed;left:0;top:0;width:100vw;height:100vh;pointer-events:none;z-index:2147483647;margin:0;padding:0;border:0;';
          const root = host.attachShadow({ mode: 'closed' });
          const colours = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000', '#000075', '#d6008f'];
          const vh = window.innerHeight, vw = window.innerWidth;
          marks.forEach((el, i) => {
            const r = el.getBoundingClientRect();
            if (r.bottom <= 0 || r.top >= vh || r.right <= 0 || r.left >= vw) return;
            const colour = colours[i % colours.length];
            const box = document.createElement('div');
            box.style.cssText = `position:absolute;left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px;outline:2px solid ${colour};box-sizing:border-box;`;
            const label = document.createElement('div');
            label.textContent = String(i + 1);
            // Beside the box's right edge, where it covers neither this element's text nor its neighbours' above and below;
            // inside the box when there is no room on the right.
            const width = 8 * String(i + 1).length + 6;
            const left = r.right + width + 2 <= vw ? r.right + 2 : Math.max(0, r.right - width);
            const top = Math.min(Math.max(0, r.top + (r.height - 16) / 2), vh - 16);
            label.style.cssText = `position:absolute;left:${left}px;top:${top}px;background:${colour};color:#fff;font:bold 12px/16px sans-serif;padding:0 3px;`;
            root.appendChild(box);
            root.appendChild(label);
          });
          (document.body || document.documentElement).appendChild(host);
          return true;
        })()
        """

    /// Removes the overlay.
    static let removeOverlay = "(() => { const o = document.getElementById('stageflow-marks-overlay'); if (o) o.remove(); return true; })()"
}
