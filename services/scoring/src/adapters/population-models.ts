import type { Db } from "mongodb";
import { type PopulationModel, recordedPopulationModel } from "../domain/population-model.js";

type ModelDocument = { _id: string; model: PopulationModel };

/**
 * The population models scoring has recorded, one document each (a handful a day at most). The
 * model in force at an instant is the latest fitted as of it, so a past question is answered with
 * the model of its time.
 */
export function createPopulationModels(db: Db) {
  const models = db.collection<ModelDocument>("population_models");

  async function all(): Promise<PopulationModel[]> {
    const documents = await models.find({}).toArray();
    return documents
      .map((document) => recordedPopulationModel(document.model))
      .sort(
        (a, b) => Date.parse(a.fittedAsOf) - Date.parse(b.fittedAsOf) || (a.modelId < b.modelId ? -1 : 1),
      );
  }

  return {
    /**
     * Records a model; one fitted again as of the same time replaces the one before it (the newest fit
     * of a time is its model), and recording it again (a redelivery) is harmless.
     */
    async record(model: PopulationModel): Promise<void> {
      await models.replaceOne({ _id: model.modelId }, { model }, { upsert: true });
    },

    /** The model in force at `asOf` (epoch ms), or the newest without it. */
    async inForce(asOf?: number): Promise<PopulationModel | undefined> {
      const recorded = await all();
      return asOf === undefined
        ? recorded.at(-1)
        : recorded.filter((model) => Date.parse(model.fittedAsOf) <= asOf).at(-1);
    },
  };
}

export type PopulationModels = ReturnType<typeof createPopulationModels>;
