// FlowZip module.
