import numpy as np
import pandas as pd
from scipy import stats

df = pd.DataFrame({"x": np.random.default_rng(0).normal(size=1000)})
print(df.describe())
print(stats.normaltest(df["x"]))
