import StageflowAPI

/// The expression that runs axe on a loaded page and returns what the scanner maps: violations and incomplete
/// results with their nodes (and for each node its box in page coordinates, so it can be drawn on the
/// screenshot, which starts at the top of the page), the rules that passed and those that did not apply, and
/// the impact axe gives every rule it ran (its results report an impact only for nodes that fail).
enum AxeRunScript {
    /// `axe.run(context, options)` as one expression.
    static func expression(context: JSONValue, options: JSONValue) -> String {
        """
        (async () => {
          if (typeof axe === 'undefined') throw new Error('axe-core is not loaded in the page');
          const context = \(context.jsonString());
          const results = await axe.run(context === null ? document : context, \(options.jsonString()));
          const box = (target) => {
            if (target.length !== 1 || typeof target[0] !== 'string') return null;
            let element = null;
            try { element = document.querySelector(target[0]); } catch (e) { return null; }
            if (!element) return null;
            const r = element.getBoundingClientRect();
            return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
          };
          const impacts = {};
          for (const rule of ((axe._audit && axe._audit.rules) || [])) impacts[rule.id] = rule.impact || null;
          const map = (list) => list.map((rule) => ({
            id: rule.id, impact: rule.impact || impacts[rule.id] || null, declaredImpact: impacts[rule.id] || null,
            help: rule.help, description: rule.description, helpUrl: rule.helpUrl, tags: rule.tags,
            nodes: rule.nodes.map((node) => ({
              target: node.target, html: node.html, impact: node.impact, failureSummary: node.failureSummary,
              box: box(node.target)
            }))
          }));
          const summary = (list) => list.map((rule) => ({
            id: rule.id, impact: impacts[rule.id] || null, declaredImpact: impacts[rule.id] || null, help: rule.help,
            description: rule.description, helpUrl: rule.helpUrl, tags: rule.tags, nodes: []
          }));
          return {
            version: axe.version, violations: map(results.violations), incomplete: map(results.incomplete),
            passes: summary(results.passes), inapplicable: summary(results.inapplicable)
          };
        })()
        """
    }
}
