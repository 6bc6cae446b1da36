/// The JavaScript the performance scanner runs in the page: observers installed before the page's own scripts,
/// and the expression that reads what they recorded after the load.
public enum PerformanceScript {
    /// Installed at document start: PerformanceObservers for `paint`, `largest-contentful-paint`,
    /// `layout-shift` (shifts right after input left out, as CLS requires) and `longtask` (which the browser
    /// does not buffer, hence observing from the start) that record into `window.__stageflowPerformance`.
    public static let documentStart = #"""
        (() => {
          if (window.__stageflowPerformance) return;
          const state = { fcp: null, lcp: null, layoutShifts: [], longTasks: [], observers: [] };
          Object.defineProperty(window, '__stageflowPerformance', { value: state, enumerable: false });
          const record = {
            'paint': (entry) => { if (entry.name === 'first-contentful-paint') state.fcp = entry.startTime; },
            'largest-contentful-paint': (entry) => { state.lcp = entry.startTime; },
            'layout-shift': (entry) => {
              if (!entry.hadRecentInput) state.layoutShifts.push({ startTime: entry.startTime, value: entry.value });
            },
            'longtask': (entry) => { state.longTasks.push({ startTime: entry.startTime, duration: entry.duration }); },
          };
          state.record = record;
          for (const type of Object.keys(record)) {
            try {
              const observer = new PerformanceObserver((list) => list.getEntries().forEach(record[type]));
              observer.observe({ type, buffered: true });
              state.observers.push({ type, observer });
            } catch (error) {
              // This browser does not support the entry type; the figure stays unknown.
            }
          }
        })();
        """#

    /// Evaluated after the load: waits a moment for pending observer callbacks, flushes the observers, and
    /// returns the recorded figures with navigation and resource timing, as JSON. Without the document-start
    /// script (`installed: false`) it reads what the browser buffers (paint, LCP, layout shifts; not long
    /// tasks).
    public static let collect = #"""
        (async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          let state = window.__stageflowPerformance;
          const installed = !!state;
          if (installed) {
            for (const { type, observer } of state.observers) observer.takeRecords().forEach(state.record[type]);
          } else {
            state = { fcp: null, lcp: null, layoutShifts: [], longTasks: null };
            const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint');
            if (paint) state.fcp = paint.startTime;
            for (const type of ['largest-contentful-paint', 'layout-shift']) {
              try {
                const observer = new PerformanceObserver(() => {});
                observer.observe({ type, buffered: true });
                for (const entry of observer.takeRecords()) {
                  if (type === 'largest-contentful-paint') state.lcp = entry.startTime;
                  else if (!entry.hadRecentInput) state.layoutShifts.push({ startTime: entry.startTime, value: entry.value });
                }
                observer.disconnect();
              } catch (error) {
                // Not supported: the figure stays unknown.
              }
            }
          }
          const navigation = performance.getEntriesByType('navigation')[0];
          const resources = performance.getEntriesByType('resource');
          return {
            installed,
            fcp: state.fcp,
            lcp: state.lcp,
            layoutShifts: state.layoutShifts,
            longTasks: state.longTasks,
            navigation: navigation ? {
              startTime: navigation.startTime,
              responseStart: navigation.responseStart,
              domContentLoaded: navigation.domContentLoadedEventEnd,
              loadEventEnd: navigation.loadEventEnd,
              transferSize: navigation.transferSize || 0,
            } : null,
            resources: {
              count: resources.length,
              transferSize: resources.reduce((sum, entry) => sum + (entry.transferSize || 0), 0),
            },
          };
        })()
        """#
}
