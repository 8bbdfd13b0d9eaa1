// FlowTraining module.
