/*! plotly.js (https://github.com/plotly/plotly.js), Copyright 2012-2026, Plotly, Inc., MIT license: its core and the trace types of this project's charts, bundled from its modules */
// The plotly.js that notebooks and reports embed (lib/notebook/plotly.ts): plotly.js's own modules,
// bundled by the build (scripts/build.ts) into dist/plotly-charts.js, as plotly.js documents for
// partial bundles (its CUSTOM_BUNDLE.md: the core, then Plotly.register of the traces wanted).
// The core holds the scatter trace and every layout component our charts use: cartesian axes
// (linear, log, category), subplots, shapes, annotations, legends, colour bars, error bars, hover
// and the mode bar. Registered here are the other trace types lib/charts builds: bar, heatmap and
// parcoords. A chart with another trace type would draw nothing ("unrecognized trace type"): add its
// module here.
import Plotly from "plotly.js/lib/core";
import bar from "plotly.js/lib/bar";
import heatmap from "plotly.js/lib/heatmap";
import parcoords from "plotly.js/lib/parcoords";

Plotly.register([bar, heatmap, parcoords]);

// The charts' scripts draw with window.Plotly (lib/notebook/plotly.ts's wrapper runs this bundle
// inside a function, so only an assignment to window makes it global).
(window as Window & { Plotly?: unknown }).Plotly = Plotly;
