export { createModelsLab, MODELSLAB_BASE_URL, type ModelsLabSettings } from "./modelslab-provider.ts";
