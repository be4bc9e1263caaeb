// lockstep_planner: see planner/CMakeLists.txt for what lives here.
