/** Placeholder until the prediction API lands (issue: Prediction API behind nginx). */
export const apiPlaceholder = true;
