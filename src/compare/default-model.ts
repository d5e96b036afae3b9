import json from './default-model.json' with { type: 'json' }
import { type DerivationModel, loadModel } from './model.js'

/**
 * The shipped derivation model, fitted by `bench/calibrate.ts` on the development sets (see
 * DESIGN.md, "The derivation model"). Checked once, when the module loads.
 */
export const DEFAULT_MODEL: DerivationModel = loadModel(json)
