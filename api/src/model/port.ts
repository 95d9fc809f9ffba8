/**
 * What the API needs from a model and from where models come. The model package (@propel/jobs)
 * provides the implementations (loadModelFromRegistry / loadModelFromDir); the API depends only on
 * these shapes.
 */

/** One row of model input: challenge features plus purchase features, by name. */
export type FeatureValues = Record<string, number | string>;

/** A model loaded in memory, ready to score. */
export interface ServingModel {
  readonly version: string;
  readonly kind: string;
  readonly threshold: number;
  readonly backend: string;
  readonly metrics: Record<string, unknown>;
  readonly lineage: Record<string, unknown>;
  predict(rows: FeatureValues[]): Promise<number[]>;
  dispose(): void;
}

/** Where the served model comes from: the registry champion or an exported directory. */
export interface ModelSource {
  /** 'registry' or 'dir:<path>', for logs and /models. */
  readonly name: string;
  /** The version that should be served now (the champion), or undefined when there is none. */
  wantedVersion(): Promise<string | undefined>;
  /** Loads a version fully (weights, encoder, threshold). */
  load(version: string): Promise<ServingModel>;
  /** Versions known to the source, for GET /models. */
  list(): Promise<Array<Record<string, unknown>>>;
  /** Calls onChange when the wanted version may have changed (NOTIFY); returns a stop function. */
  watch?(onChange: (version: string | undefined) => void): Promise<() => Promise<void>>;
}
