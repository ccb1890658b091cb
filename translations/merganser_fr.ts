<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>CommentItem</name>
    <message>
        <source>Double-click to write a note (Markdown)</source>
        <translation>Double-cliquer pour écrire une note (Markdown)</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <source>A checkpoint: a .safetensors file, a sharded or Hugging Face model folder, or an HDF5 checkpoint</source>
        <translation>Un checkpoint : un fichier .safetensors, un dossier de modèle fragmenté ou Hugging Face, ou un checkpoint HDF5</translation>
    </message>
    <message>
        <source>The checkpoint file or model folder</source>
        <translation>Le fichier checkpoint ou le dossier du modèle</translation>
    </message>
    <message>
        <source>LoRA adapter</source>
        <translation>Adaptateur LoRA</translation>
    </message>
    <message>
        <source>A PEFT LoRA adapter folder. On a model input it stands for its base plus its delta: connect the base it was trained on to that node&apos;s &apos;base&apos;</source>
        <translation>Un dossier d’adaptateur LoRA PEFT. Sur une entrée de modèle, il représente sa base plus son delta : relier la base sur laquelle il a été entraîné à &apos;base&apos; de ce nœud</translation>
    </message>
    <message>
        <source>The adapter folder (adapter_config.json + weights)</source>
        <translation>Le dossier de l’adaptateur (adapter_config.json + poids)</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Evaluation data: an HDF5 task file or a folder of them; or text tasks for language models, a JSON Lines file (.jsonl) or a folder of them</source>
        <translation>Données d’évaluation : un fichier de tâche HDF5 ou un dossier de ceux-ci ; ou des tâches textuelles pour modèles de langue, un fichier JSON Lines (.jsonl) ou un dossier de ceux-ci</translation>
    </message>
    <message>
        <source>The task file or folder</source>
        <translation>Le fichier ou le dossier de tâches</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linéaire</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Fusion</translation>
    </message>
    <message>
        <source>Weighted average of the inputs</source>
        <translation>Moyenne pondérée des entrées</translation>
    </message>
    <message>
        <source>Not used by Linear: connect every model to &apos;models&apos;</source>
        <translation>Non utilisé par Linéaire : relier chaque modèle à &apos;models&apos;</translation>
    </message>
    <message>
        <source>The models (or adapters of the base) to merge; a new input appears as the last one is connected</source>
        <translation>Les modèles (ou adaptateurs de la base) à fusionner ; une nouvelle entrée apparaît quand la dernière est connectée</translation>
    </message>
    <message>
        <source>Divide the merged result by the sum of the (agreeing) weights</source>
        <translation>Diviser le résultat fusionné par la somme des poids (concordants)</translation>
    </message>
    <message>
        <source>Values per input, per layer and per tensor, one rule per &apos;;&apos;: [models N:] NAME[@FILTER]=VALUE|grad(V0,V1,...); FILTER a regex or sub:TEXT (mergekit&apos;s substring); the first matching rule wins</source>
        <translation>Valeurs par entrée, par couche et par tenseur, une règle par &apos;;&apos; : [models N:] NOM[@FILTRE]=VALEUR|grad(V0,V1,...) ; FILTRE une expression régulière ou sub:TEXTE (sous-chaîne de mergekit) ; la première règle qui correspond l’emporte</translation>
    </message>
    <message>
        <source>Output layers as slices of the inputs (mergekit&apos;s slices): INPUT[START:END], sources of a slice by &apos;,&apos;, slices by &apos;;&apos;, INPUT a models number or base; empty: every layer</source>
        <translation>Couches de sortie comme tranches des entrées (slices de mergekit) : INPUT[START:END], sources d’une tranche séparées par &apos;,&apos;, tranches par &apos;;&apos;, INPUT un numéro de models ou base ; vide : chaque couche</translation>
    </message>
    <message>
        <source>The dtype the arithmetic runs in (mergekit&apos;s dtype); auto: the checkpoints&apos; own</source>
        <translation>Le dtype dans lequel le calcul s’effectue (dtype de mergekit) ; auto : celui des checkpoints</translation>
    </message>
    <message>
        <source>Where the output&apos;s vocabulary comes from (mergekit&apos;s tokenizer_source); model: the folder in tokenizer_model</source>
        <translation>D’où vient le vocabulaire de la sortie (tokenizer_source de mergekit) ; model : le dossier dans tokenizer_model</translation>
    </message>
    <message>
        <source>The model folder whose tokenizer the output takes (tokenizer_source: model)</source>
        <translation>Le dossier de modèle dont la sortie prend le tokenizer (tokenizer_source : model)</translation>
    </message>
    <message>
        <source>Pad the vocabulary to a multiple of this (mergekit&apos;s tokenizer.pad_to_multiple_of); 0: no padding</source>
        <translation>Compléter le vocabulaire jusqu’à un multiple de cette valeur (tokenizer.pad_to_multiple_of de mergekit) ; 0 : pas de complément</translation>
    </message>
    <message>
        <source>The output&apos;s chat template: a name (chatml, llama3, ...), auto, or Jinja text; empty: the tokenizer&apos;s own</source>
        <translation>Le modèle de conversation de la sortie : un nom (chatml, llama3, ...), auto, ou du texte Jinja ; vide : celui du tokenizer</translation>
    </message>
    <message>
        <source>Task arithmetic</source>
        <translation>Arithmétique des tâches</translation>
    </message>
    <message>
        <source>Base plus the weighted sum of task vectors</source>
        <translation>Base plus la somme pondérée des vecteurs de tâche</translation>
    </message>
    <message>
        <source>The base model the inputs were fine-tuned from (required)</source>
        <translation>Le modèle de base à partir duquel les entrées ont été affinées (obligatoire)</translation>
    </message>
    <message>
        <source>Scale of the merged task vector</source>
        <translation>Échelle du vecteur de tâche fusionné</translation>
    </message>
    <message>
        <source>After pruning: true matches the L1 norm of the unpruned task vector (mergekit), inverse_density divides by the keep probability (DARE paper, PEFT); earlier spellings: none = false, l1 = true</source>
        <translation>Après l’élagage : true reprend la norme L1 du vecteur de tâche non élagué (mergekit), inverse_density divise par la probabilité de conservation (article DARE, PEFT) ; anciennes graphies : none = false, l1 = true</translation>
    </message>
    <message>
        <source>Accepted for mergekit recipes (a memory option there); no effect on the result</source>
        <translation>Accepté pour les recettes mergekit (une option de mémoire là-bas) ; sans effet sur le résultat</translation>
    </message>
    <message>
        <source>TIES</source>
        <translation>TIES</translation>
    </message>
    <message>
        <source>Magnitude-pruned task vectors with sign consensus</source>
        <translation>Vecteurs de tâche élagués par magnitude avec consensus des signes</translation>
    </message>
    <message>
        <source>Fraction of each task vector kept by sparsification; one value, or one per input separated by commas</source>
        <translation>Part de chaque vecteur de tâche conservée par l’élagage ; une valeur, ou une par entrée séparées par des virgules</translation>
    </message>
    <message>
        <source>Sign election: sum elects on weighted task vectors and divides by the agreeing weights (mergekit); count_peft elects on unweighted ones and divides by the number of agreeing models (PEFT)</source>
        <translation>Élection des signes : sum élit sur les vecteurs de tâche pondérés et divise par les poids concordants (mergekit) ; count_peft élit sur les vecteurs non pondérés et divise par le nombre de modèles concordants (PEFT)</translation>
    </message>
    <message>
        <source>DARE-TIES</source>
        <translation>DARE-TIES</translation>
    </message>
    <message>
        <source>Randomly pruned, rescaled task vectors with sign consensus</source>
        <translation>Vecteurs de tâche élagués au hasard et remis à l’échelle, avec consensus des signes</translation>
    </message>
    <message>
        <source>Random pruning seed; the same seed gives bit-identical results</source>
        <translation>Graine de l’élagage aléatoire ; la même graine donne des résultats identiques au bit près</translation>
    </message>
    <message>
        <source>DARE (linear)</source>
        <translation>DARE (linéaire)</translation>
    </message>
    <message>
        <source>Randomly pruned, rescaled task vectors, summed</source>
        <translation>Vecteurs de tâche élagués au hasard et remis à l’échelle, additionnés</translation>
    </message>
    <message>
        <source>Model Breadcrumbs</source>
        <translation>Model Breadcrumbs</translation>
    </message>
    <message>
        <source>Task vectors without their smallest and largest entries</source>
        <translation>Vecteurs de tâche sans leurs plus petites et plus grandes entrées</translation>
    </message>
    <message>
        <source>Breadcrumbs: fraction of the largest-magnitude entries dropped as outliers</source>
        <translation>Breadcrumbs : part des entrées de plus grande magnitude écartées comme aberrantes</translation>
    </message>
    <message>
        <source>Breadcrumbs-TIES</source>
        <translation>Breadcrumbs-TIES</translation>
    </message>
    <message>
        <source>Breadcrumbs pruning with sign consensus</source>
        <translation>Élagage Breadcrumbs avec consensus des signes</translation>
    </message>
    <message>
        <source>DELLA</source>
        <translation>DELLA</translation>
    </message>
    <message>
        <source>Magnitude-rank sampled task vectors with sign consensus</source>
        <translation>Vecteurs de tâche échantillonnés selon le rang de magnitude, avec consensus des signes</translation>
    </message>
    <message>
        <source>DELLA: keep probabilities range over density ± epsilon by magnitude rank</source>
        <translation>DELLA : les probabilités de conservation s’étendent sur density ± epsilon selon le rang de magnitude</translation>
    </message>
    <message>
        <source>DELLA (linear)</source>
        <translation>DELLA (linéaire)</translation>
    </message>
    <message>
        <source>Magnitude-rank sampled task vectors, summed</source>
        <translation>Vecteurs de tâche échantillonnés selon le rang de magnitude, additionnés</translation>
    </message>
    <message>
        <source>Magnitude prune</source>
        <translation>Élagage par magnitude</translation>
    </message>
    <message>
        <source>Magnitude-pruned task vectors, summed (PEFT)</source>
        <translation>Vecteurs de tâche élagués par magnitude, additionnés (PEFT)</translation>
    </message>
    <message>
        <source>SLERP</source>
        <translation>SLERP</translation>
    </message>
    <message>
        <source>Spherical interpolation between two models (the base, when given, is the first)</source>
        <translation>Interpolation sphérique entre deux modèles (la base, si elle est donnée, est le premier)</translation>
    </message>
    <message>
        <source>The base model (optional: with it, the method works on task vectors)</source>
        <translation>Le modèle de base (facultatif : avec lui, la méthode travaille sur les vecteurs de tâche)</translation>
    </message>
    <message>
        <source>Interpolation factor: 0 gives the first input (or base), 1 the second</source>
        <translation>Facteur d’interpolation : 0 donne la première entrée (ou la base), 1 la seconde</translation>
    </message>
    <message>
        <source>NuSLERP</source>
        <translation>NuSLERP</translation>
    </message>
    <message>
        <source>Spherical interpolation of two models at t = w2/(w1+w2); of their task vectors with a base</source>
        <translation>Interpolation sphérique de deux modèles à t = w2/(w1+w2) ; de leurs vecteurs de tâche avec une base</translation>
    </message>
    <message>
        <source>nuslerp without flattening: interpolate the vectors along dim 0 instead of the last dimension</source>
        <translation>nuslerp sans aplatissement : interpoler les vecteurs le long de la dimension 0 au lieu de la dernière</translation>
    </message>
    <message>
        <source>nuslerp: treat the whole tensor as one vector</source>
        <translation>nuslerp : traiter le tenseur entier comme un seul vecteur</translation>
    </message>
    <message>
        <source>Multi-SLERP</source>
        <translation>Multi-SLERP</translation>
    </message>
    <message>
        <source>Spherical weighted mean of N models (tangent-space barycenter)</source>
        <translation>Moyenne pondérée sphérique de N modèles (barycentre dans l’espace tangent)</translation>
    </message>
    <message>
        <source>Divide the weights by their sum</source>
        <translation>Diviser les poids par leur somme</translation>
    </message>
    <message>
        <source>multislerp: added to the norms so that zero vectors do not divide by 0</source>
        <translation>multislerp : ajouté aux normes pour que les vecteurs nuls ne divisent pas par 0</translation>
    </message>
    <message>
        <source>Karcher mean</source>
        <translation>Moyenne de Karcher</translation>
    </message>
    <message>
        <source>Spherical (Karcher) mean of the models, the base included, with equal weights; weighted: the weighted mean of the task vectors</source>
        <translation>Moyenne sphérique (de Karcher) des modèles, base comprise, à poids égaux ; weighted : la moyenne pondérée des vecteurs de tâche</translation>
    </message>
    <message>
        <source>Karcher mean: maximum iterations</source>
        <translation>Moyenne de Karcher : nombre maximal d’itérations</translation>
    </message>
    <message>
        <source>Karcher mean: convergence tolerance</source>
        <translation>Moyenne de Karcher : tolérance de convergence</translation>
    </message>
    <message>
        <source>karcher: the weighted mean of the task vectors (Merganser&apos;s variant) instead of mergekit&apos;s equal-weight mean of the models and the base</source>
        <translation>karcher : la moyenne pondérée des vecteurs de tâche (variante de Merganser) au lieu de la moyenne à poids égaux des modèles et de la base de mergekit</translation>
    </message>
    <message>
        <source>Model Stock</source>
        <translation>Model Stock</translation>
    </message>
    <message>
        <source>Moves the average of the inputs towards the base by their task vectors&apos; angle</source>
        <translation>Rapproche la moyenne des entrées de la base selon l’angle de leurs vecteurs de tâche</translation>
    </message>
    <message>
        <source>model_stock: one ratio per vector along the last dimension (a 1-D tensor is one vector) instead of one per tensor</source>
        <translation>model_stock : un rapport par vecteur le long de la dernière dimension (un tenseur 1-D est un vecteur) au lieu d’un par tenseur</translation>
    </message>
    <message>
        <source>SCE</source>
        <translation>SCE</translation>
    </message>
    <message>
        <source>Variance-selected task vectors, weighted by their energy, with sign consensus</source>
        <translation>Vecteurs de tâche choisis par variance, pondérés par leur énergie, avec consensus des signes</translation>
    </message>
    <message>
        <source>SCE: fraction of positions with the highest variance across inputs kept</source>
        <translation>SCE : part des positions de plus forte variance entre les entrées conservée</translation>
    </message>
    <message>
        <source>NearSwap</source>
        <translation>NearSwap</translation>
    </message>
    <message>
        <source>The base, moved to the input&apos;s value where the two are closer than t</source>
        <translation>La base, remplacée par la valeur de l’entrée là où les deux sont plus proches que t</translation>
    </message>
    <message>
        <source>Distance below which the input&apos;s value replaces the base&apos;s; farther entries move towards it by t / distance</source>
        <translation>Distance en dessous de laquelle la valeur de l’entrée remplace celle de la base ; les entrées plus éloignées s’en rapprochent de t / distance</translation>
    </message>
    <message>
        <source>Arcee Fusion</source>
        <translation>Arcee Fusion</translation>
    </message>
    <message>
        <source>The base plus the input&apos;s changes of outlying importance (|change| times the KL divergence of the rows)</source>
        <translation>La base plus les changements de l’entrée d’importance aberrante (|changement| fois la divergence KL des lignes)</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>RAM</translation>
    </message>
    <message>
        <source>Reinforced Agent Merging: task vector entries changed by one input kept, those changed by several averaged</source>
        <translation>Reinforced Agent Merging : les entrées des vecteurs de tâche changées par une seule entrée sont gardées, celles changées par plusieurs sont moyennées</translation>
    </message>
    <message>
        <source>RAM: a task vector entry counts as changed when its magnitude is above epsilon</source>
        <translation>RAM : une entrée d’un vecteur de tâche compte comme changée quand sa magnitude dépasse epsilon</translation>
    </message>
    <message>
        <source>RAM+ (tensor-local)</source>
        <translation>RAM+ (local au tenseur)</translation>
    </message>
    <message>
        <source>RAM with the entries only one input changed scaled up by the input&apos;s shared-to-unique ratio</source>
        <translation>RAM où les entrées changées par une seule entrée sont agrandies selon le rapport partagé/unique de cette entrée</translation>
    </message>
    <message>
        <source>RAM+: strength of the rescaling of entries only one input changed</source>
        <translation>RAM+ : force de la remise à l’échelle des entrées changées par une seule entrée</translation>
    </message>
    <message>
        <source>RAM+: bound of the shared-to-unique ratio in the rescaling</source>
        <translation>RAM+ : borne du rapport partagé/unique dans la remise à l’échelle</translation>
    </message>
    <message>
        <source>Iso-C</source>
        <translation>Iso-C</translation>
    </message>
    <message>
        <source>Isotropic merging: the summed task vectors&apos; singular vectors with a flat spectrum (their mean singular value)</source>
        <translation>Fusion isotrope : les vecteurs singuliers des vecteurs de tâche additionnés avec un spectre plat (leur valeur singulière moyenne)</translation>
    </message>
    <message>
        <source>Iso-CTS</source>
        <translation>Iso-CTS</translation>
    </message>
    <message>
        <source>Isotropic merging in the tasks&apos; common subspace plus each task&apos;s own directions, orthogonalised</source>
        <translation>Fusion isotrope dans le sous-espace commun des tâches plus les directions propres à chaque tâche, orthogonalisées</translation>
    </message>
    <message>
        <source>Iso-CTS: share of each matrix&apos;s rank given to the directions the tasks share; the rest is split equally among the tasks&apos; own directions</source>
        <translation>Iso-CTS : part du rang de chaque matrice donnée aux directions que les tâches partagent ; le reste est réparti également entre les directions propres des tâches</translation>
    </message>
    <message>
        <source>TSV-M</source>
        <translation>TSV-M</translation>
    </message>
    <message>
        <source>Task Singular Vectors: each task vector&apos;s top singular vectors (1/T of the rank), decorrelated by orthogonal Procrustes</source>
        <translation>Task Singular Vectors : les premiers vecteurs singuliers de chaque vecteur de tâche (1/T du rang), décorrélés par Procuste orthogonal</translation>
    </message>
    <message>
        <source>TSV: each task vector&apos;s top singular vectors by a seeded randomized SVD instead of the exact one; much faster with many tasks, approximate</source>
        <translation>TSV : les premiers vecteurs singuliers de chaque vecteur de tâche par une SVD aléatoire à graine au lieu de la SVD exacte ; bien plus rapide avec beaucoup de tâches, approchée</translation>
    </message>
    <message>
        <source>With randomized_svd: seed of the random test matrices; the same seed gives bit-identical results</source>
        <translation>Avec randomized_svd : graine des matrices de test aléatoires ; la même graine donne des résultats identiques au bit près</translation>
    </message>
    <message>
        <source>WUDI</source>
        <translation>WUDI</translation>
    </message>
    <message>
        <source>Task vectors optimised (Adam, from task arithmetic&apos;s sum) to interfere least with the inputs each task vector spans</source>
        <translation>Vecteurs de tâche optimisés (Adam, depuis la somme de l’arithmétique des tâches) pour interférer le moins avec les entrées que chaque vecteur de tâche engendre</translation>
    </message>
    <message>
        <source>WUDI: Adam steps from task arithmetic&apos;s start (the paper&apos;s 300; 0 gives task arithmetic)</source>
        <translation>WUDI : pas d’Adam depuis le départ de l’arithmétique des tâches (300 dans l’article ; 0 donne l’arithmétique des tâches)</translation>
    </message>
    <message>
        <source>WUDI: Adam&apos;s step size (the paper&apos;s 1e-5)</source>
        <translation>WUDI : taille de pas d’Adam (1e-5 dans l’article)</translation>
    </message>
    <message>
        <source>KnOTS</source>
        <translation>KnOTS</translation>
    </message>
    <message>
        <source>LoRA adapters aligned by a joint SVD of their updates, the aligned coefficients merged by TIES or task arithmetic</source>
        <translation>Adaptateurs LoRA alignés par une SVD conjointe de leurs mises à jour, les coefficients alignés fusionnés par TIES ou arithmétique des tâches</translation>
    </message>
    <message>
        <source>KnOTS: how the adapters&apos; aligned coefficients are merged: ties (pruned to density, sign consensus) or task_arithmetic (their weighted sum)</source>
        <translation>KnOTS : comment les coefficients alignés des adaptateurs sont fusionnés : ties (élagués à density, consensus des signes) ou task_arithmetic (leur somme pondérée)</translation>
    </message>
    <message>
        <source>TIES (merge=ties): fraction of each adapter&apos;s aligned coefficients kept; one value, or one per input separated by commas</source>
        <translation>TIES (merge=ties) : part des coefficients alignés de chaque adaptateur conservée ; une valeur, ou une par entrée séparées par des virgules</translation>
    </message>
    <message>
        <source>Passthrough</source>
        <translation>Passthrough</translation>
    </message>
    <message>
        <source>One input, optionally scaled (layer stacking and slices)</source>
        <translation>Une entrée, éventuellement mise à l’échelle (empilement de couches et tranches)</translation>
    </message>
    <message>
        <source>Not used by Passthrough: connect every model to &apos;models&apos;</source>
        <translation>Non utilisé par Passthrough : relier chaque modèle à &apos;models&apos;</translation>
    </message>
    <message>
        <source>Multiplier applied to the tensor</source>
        <translation>Multiplicateur appliqué au tenseur</translation>
    </message>
    <message>
        <source>Fisher merging</source>
        <translation>Fusion de Fisher</translation>
    </message>
    <message>
        <source>Average weighted per parameter by each model&apos;s diagonal Fisher information on its own task&apos;s inputs</source>
        <translation>Moyenne pondérée par paramètre par l’information de Fisher diagonale de chaque modèle sur les entrées de sa propre tâche</translation>
    </message>
    <message>
        <source>The base model the adapters among the inputs apply to (optional)</source>
        <translation>Le modèle de base auquel s’appliquent les adaptateurs parmi les entrées (facultatif)</translation>
    </message>
    <message>
        <source>Each model&apos;s task data: the task named after the model, else one task per model in order</source>
        <translation>Les données de tâche de chaque modèle : la tâche qui porte le nom du modèle, sinon une tâche par modèle dans l’ordre</translation>
    </message>
    <message>
        <source>The models&apos; Fisher information from a Fisher information node (the same models in the same order); instead of computing it on &apos;tasks&apos;</source>
        <translation>L’information de Fisher des modèles issue d’un nœud Information de Fisher (les mêmes modèles dans le même ordre) ; au lieu de la calculer sur &apos;tasks&apos;</translation>
    </message>
    <message>
        <source>Fisher: floor of every Fisher value (per input), so parameters no task informs are the weighted average</source>
        <translation>Fisher : plancher de chaque valeur de Fisher (par entrée), de sorte que les paramètres qu’aucune tâche n’informe soient la moyenne pondérée</translation>
    </message>
    <message>
        <source>Fisher, RegMean: inputs of each model&apos;s task its statistics are gathered on (evenly spaced over the task file)</source>
        <translation>Fisher, RegMean : entrées de la tâche de chaque modèle sur lesquelles ses statistiques sont recueillies (réparties uniformément dans le fichier de tâche)</translation>
    </message>
    <message>
        <source>RegMean</source>
        <translation>RegMean</translation>
    </message>
    <message>
        <source>Each dense layer solved for the least-squares fit of every model&apos;s outputs on its task&apos;s inputs (Gram matrices); other tensors averaged</source>
        <translation>Chaque couche dense résolue par l’ajustement aux moindres carrés des sorties de chaque modèle sur les entrées de sa tâche (matrices de Gram) ; les autres tenseurs moyennés</translation>
    </message>
    <message>
        <source>RegMean: scale of the Gram matrices&apos; off-diagonal entries, in [0, 1] (1: exact least squares)</source>
        <translation>RegMean : échelle des entrées hors diagonale des matrices de Gram, dans [0, 1] (1 : moindres carrés exacts)</translation>
    </message>
    <message>
        <source>Concatenate adapters</source>
        <translation>Concaténer des adaptateurs</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>The exact weighted sum of LoRA adapters as one adapter whose rank is the sum of theirs; of IA³ adapters, PEFT&apos;s weighted merge (each module&apos;s vectors summed with the weights)</source>
        <translation>La somme pondérée exacte d’adaptateurs LoRA en un adaptateur dont le rang est la somme des leurs ; pour les adaptateurs IA³, la fusion pondérée de PEFT (les vecteurs de chaque module additionnés avec les poids)</translation>
    </message>
    <message>
        <source>Adapters of one base model</source>
        <translation>Adaptateurs d’un même modèle de base</translation>
    </message>
    <message>
        <source>SVD to LoRA</source>
        <translation>SVD vers LoRA</translation>
    </message>
    <message>
        <source>Truncated SVD of a delta (or of a high-rank adapter) to an adapter of at most the given rank</source>
        <translation>SVD tronquée d’un delta (ou d’un adaptateur de rang élevé) vers un adaptateur de rang au plus donné</translation>
    </message>
    <message>
        <source>A task vector or an adapter</source>
        <translation>Un vecteur de tâche ou un adaptateur</translation>
    </message>
    <message>
        <source>Largest rank per module</source>
        <translation>Rang maximal par module</translation>
    </message>
    <message>
        <source>Extract LoRA</source>
        <translation>Extraire un LoRA</translation>
    </message>
    <message>
        <source>The difference of a fine-tune from its base as a LoRA adapter (truncated SVD per weight matrix; changed biases and norms are kept whole)</source>
        <translation>La différence d’un affinage à sa base sous forme d’adaptateur LoRA (SVD tronquée par matrice de poids ; les biais et normes changés sont gardés entiers)</translation>
    </message>
    <message>
        <source>The base model</source>
        <translation>Le modèle de base</translation>
    </message>
    <message>
        <source>The fine-tuned model</source>
        <translation>Le modèle affiné</translation>
    </message>
    <message>
        <source>Singular values at or below this are dropped</source>
        <translation>Les valeurs singulières inférieures ou égales à celle-ci sont écartées</translation>
    </message>
    <message>
        <source>Merge as LoRA</source>
        <translation>Fusion en LoRA</translation>
    </message>
    <message>
        <source>The result of a merge node as a LoRA adapter on its base: exact for KnOTS and for task arithmetic or linear merges of adapters, else a truncated SVD of its change at &apos;rank&apos;</source>
        <translation>Le résultat d’un nœud de fusion sous forme d’adaptateur LoRA sur sa base : exact pour KnOTS et pour les fusions linéaires ou par arithmétique des tâches d’adaptateurs, sinon une SVD tronquée de son changement au rang &apos;rank&apos;</translation>
    </message>
    <message>
        <source>A merge node&apos;s output</source>
        <translation>La sortie d’un nœud de fusion</translation>
    </message>
    <message>
        <source>Largest rank per module when the merge is not low-rank by construction (truncated SVD); 0: only exact results are accepted</source>
        <translation>Rang maximal par module quand la fusion n’est pas de rang faible par construction (SVD tronquée) ; 0 : seuls les résultats exacts sont acceptés</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Échelle</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Opérateurs</translation>
    </message>
    <message>
        <source>A task vector multiplied by a factor</source>
        <translation>Un vecteur de tâche multiplié par un facteur</translation>
    </message>
    <message>
        <source>The multiplier</source>
        <translation>Le multiplicateur</translation>
    </message>
    <message>
        <source>Add deltas</source>
        <translation>Ajouter des deltas</translation>
    </message>
    <message>
        <source>The base plus the weighted sum of task vectors</source>
        <translation>La base plus la somme pondérée des vecteurs de tâche</translation>
    </message>
    <message>
        <source>The model the deltas are added to</source>
        <translation>Le modèle auquel les deltas sont ajoutés</translation>
    </message>
    <message>
        <source>Task vectors or adapters of the base</source>
        <translation>Vecteurs de tâche ou adaptateurs de la base</translation>
    </message>
    <message>
        <source>Subtract</source>
        <translation>Soustraire</translation>
    </message>
    <message>
        <source>The task vector of a model: model − base</source>
        <translation>Le vecteur de tâche d’un modèle : modèle − base</translation>
    </message>
    <message>
        <source>A model fine-tuned from the base (or an adapter of it)</source>
        <translation>Un modèle affiné à partir de la base (ou un de ses adaptateurs)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Sinks</source>
        <translation>Destinations</translation>
    </message>
    <message>
        <source>Writes a model: *.safetensors, *.h5, or a folder (sharded; a Hugging Face folder when the base is one). An adapter without a base is written as an adapter folder</source>
        <translation>Écrit un modèle : *.safetensors, *.h5, ou un dossier (fragmenté ; un dossier Hugging Face quand la base en est un). Un adaptateur sans base est écrit comme dossier d’adaptateur</translation>
    </message>
    <message>
        <source>The model (or adapter) to write</source>
        <translation>Le modèle (ou l’adaptateur) à écrire</translation>
    </message>
    <message>
        <source>The base an adapter on &apos;model&apos; is applied to</source>
        <translation>La base à laquelle s’applique un adaptateur sur &apos;model&apos;</translation>
    </message>
    <message>
        <source>Where to write: a .safetensors or .h5 file, or a folder</source>
        <translation>Où écrire : un fichier .safetensors ou .h5, ou un dossier</translation>
    </message>
    <message>
        <source>Cast floating tensors to this type; auto keeps each tensor&apos;s own</source>
        <translation>Convertir les tenseurs flottants dans ce type ; auto garde celui de chaque tenseur</translation>
    </message>
    <message>
        <source>Largest shard of a folder export</source>
        <translation>Plus grand fragment d’un export en dossier</translation>
    </message>
    <message>
        <source>Write even if some values are NaN or infinite (otherwise nothing is written)</source>
        <translation>Écrire même si des valeurs sont NaN ou infinies (sinon rien n’est écrit)</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Évaluer</translation>
    </message>
    <message>
        <source>Per-task accuracy and loss of a model on task data</source>
        <translation>Exactitude et perte d’un modèle par tâche sur des données de tâche</translation>
    </message>
    <message>
        <source>The model (or adapter) to evaluate</source>
        <translation>Le modèle (ou l’adaptateur) à évaluer</translation>
    </message>
    <message>
        <source>The task data</source>
        <translation>Les données de tâche</translation>
    </message>
    <message>
        <source>Examples per batch (language models: at most 8 sequences)</source>
        <translation>Exemples par lot (modèles de langue : au plus 8 séquences)</translation>
    </message>
    <message>
        <source>A TorchScript archive of the model (its parameters are taken from the model input); empty: a built-in architecture, or the model.pt beside config.json</source>
        <translation>Une archive TorchScript du modèle (ses paramètres sont pris sur l’entrée de modèle) ; vide : une architecture intégrée, ou le model.pt à côté de config.json</translation>
    </message>
    <message>
        <source>Skip each task&apos;s examples before this one (0-based)</source>
        <translation>Sauter les exemples de chaque tâche avant celui-ci (compté à partir de 0)</translation>
    </message>
    <message>
        <source>Evaluate at most this many examples of each task; 0: all from first_example</source>
        <translation>Évaluer au plus ce nombre d’exemples de chaque tâche ; 0 : tous à partir de first_example</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <source>Per-task scores of several models side by side</source>
        <translation>Scores de plusieurs modèles par tâche côte à côte</translation>
    </message>
    <message>
        <source>Scores of the models compared</source>
        <translation>Scores des modèles comparés</translation>
    </message>
    <message>
        <source>Absolute accuracy, or normalized by each task&apos;s specialist</source>
        <translation>Exactitude absolue, ou normalisée par le spécialiste de chaque tâche</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Balayage</translation>
    </message>
    <message>
        <source>Per-task accuracy as one parameter (lambda, density, t) of a node upstream of an Evaluate node varies over a range: the graph up to the Evaluate node runs once per value</source>
        <translation>Exactitude par tâche quand un paramètre (lambda, density, t) d’un nœud en amont d’un nœud Évaluer varie sur une plage : le graphe jusqu’au nœud Évaluer s’exécute une fois par valeur</translation>
    </message>
    <message>
        <source>The scores of an Evaluate node</source>
        <translation>Les scores d’un nœud Évaluer</translation>
    </message>
    <message>
        <source>The parameter to vary</source>
        <translation>Le paramètre à faire varier</translation>
    </message>
    <message>
        <source>The first value</source>
        <translation>La première valeur</translation>
    </message>
    <message>
        <source>The last value</source>
        <translation>La dernière valeur</translation>
    </message>
    <message>
        <source>How many values, evenly spaced, ends included</source>
        <translation>Combien de valeurs, régulièrement espacées, extrémités comprises</translation>
    </message>
    <message>
        <source>The title of the node whose parameter varies; empty: the nearest one upstream of the Evaluate node that has the parameter</source>
        <translation>Le titre du nœud dont le paramètre varie ; vide : le plus proche en amont du nœud Évaluer qui a ce paramètre</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Searches the weights of the merge node upstream of an Evaluate node (greedy soup, CMA-ES or AdaMerging) on each task&apos;s first examples, reports the winner&apos;s score on the rest and can add the winner to the graph as a merge node</source>
        <translation>Cherche les poids du nœud de fusion en amont d’un nœud Évaluer (greedy soup, CMA-ES ou AdaMerging) sur les premiers exemples de chaque tâche, donne le score du gagnant sur les autres et peut ajouter le gagnant au graphe comme nœud de fusion</translation>
    </message>
    <message>
        <source>The scores of an Evaluate node fed by a merge node</source>
        <translation>Les scores d’un nœud Évaluer alimenté par un nœud de fusion</translation>
    </message>
    <message>
        <source>Task data that scores the candidates (the Evaluate node&apos;s tasks then test the winner only); unconnected: each task&apos;s first validation_examples</source>
        <translation>Données de tâche qui évaluent les candidats (les tâches du nœud Évaluer ne testent alors que le gagnant) ; non connecté : les premiers validation_examples de chaque tâche</translation>
    </message>
    <message>
        <source>cmaes: CMA-ES over the weights (and densities); greedy_soup: add models best first while validation does not drop; adamerging: task arithmetic&apos;s coefficients by entropy minimization on unlabelled inputs</source>
        <translation>cmaes : CMA-ES sur les poids (et les densités) ; greedy_soup : ajouter les modèles, le meilleur d’abord, tant que la validation ne baisse pas ; adamerging : les coefficients de l’arithmétique des tâches par minimisation de l’entropie sur des entrées non étiquetées</translation>
    </message>
    <message>
        <source>The title of the merge node searched; empty: the nearest merge node upstream of the Evaluate node</source>
        <translation>Le titre du nœud de fusion exploré ; vide : le nœud de fusion le plus proche en amont du nœud Évaluer</translation>
    </message>
    <message>
        <source>Evaluations for CMA-ES, steps for AdaMerging (a greedy soup takes 2n - 1)</source>
        <translation>Évaluations pour CMA-ES, pas pour AdaMerging (une greedy soup en prend 2n - 1)</translation>
    </message>
    <message>
        <source>Each task&apos;s first examples, which score candidates; the rest test the winner only</source>
        <translation>Les premiers exemples de chaque tâche, qui évaluent les candidats ; les autres ne testent que le gagnant</translation>
    </message>
    <message>
        <source>CMA-ES: the smallest weight</source>
        <translation>CMA-ES : le plus petit poids</translation>
    </message>
    <message>
        <source>CMA-ES: the largest weight</source>
        <translation>CMA-ES : le plus grand poids</translation>
    </message>
    <message>
        <source>CMA-ES: also search one density per model (methods with a density)</source>
        <translation>CMA-ES : chercher aussi une densité par modèle (méthodes avec densité)</translation>
    </message>
    <message>
        <source>AdaMerging: one coefficient per model and tensor (layer) or per model (task)</source>
        <translation>AdaMerging : un coefficient par modèle et par tenseur (layer) ou par modèle (task)</translation>
    </message>
    <message>
        <source>AdaMerging: Adam&apos;s step size (the paper&apos;s 0.001 for 500 steps; larger for fewer steps)</source>
        <translation>AdaMerging : taille de pas d’Adam (0.001 pour 500 pas dans l’article ; plus grande pour moins de pas)</translation>
    </message>
    <message>
        <source>AdaMerging: every coefficient&apos;s start (the paper&apos;s 0.3)</source>
        <translation>AdaMerging : valeur de départ de chaque coefficient (0.3 dans l’article)</translation>
    </message>
    <message>
        <source>Seeds CMA-ES&apos;s samples and AdaMerging&apos;s batches</source>
        <translation>Graine des échantillons de CMA-ES et des lots d’AdaMerging</translation>
    </message>
    <message>
        <source>A file keeping every score, so that a stopped or extended search resumes without evaluating again; empty: kept for this session</source>
        <translation>Un fichier qui garde chaque score, pour qu’une recherche arrêtée ou prolongée reprenne sans réévaluer ; vide : gardé pour cette session</translation>
    </message>
    <message>
        <source>Interference</source>
        <translation>Interférence</translation>
    </message>
    <message>
        <source>How far each specialist moves the base model&apos;s features on every task&apos;s inputs: why a merge of specialists loses accuracy</source>
        <translation>De combien chaque spécialiste déplace les caractéristiques du modèle de base sur les entrées de chaque tâche : pourquoi une fusion de spécialistes perd en exactitude</translation>
    </message>
    <message>
        <source>The base model the specialists were made from</source>
        <translation>Le modèle de base dont les spécialistes sont issus</translation>
    </message>
    <message>
        <source>The tasks whose inputs are measured</source>
        <translation>Les tâches dont les entrées sont mesurées</translation>
    </message>
    <message>
        <source>Specialists: adapters or fine-tunes of the base</source>
        <translation>Spécialistes : adaptateurs ou affinages de la base</translation>
    </message>
    <message>
        <source>Inputs measured per task</source>
        <translation>Entrées mesurées par tâche</translation>
    </message>
    <message>
        <source>Fisher information</source>
        <translation>Information de Fisher</translation>
    </message>
    <message>
        <source>Each model&apos;s diagonal Fisher information on its own task, summarised per tensor; its output feeds the &apos;statistics&apos; input of Fisher merges of the same models (it is also kept in the statistics cache, where Fisher merges computing their own read it)</source>
        <translation>L’information de Fisher diagonale de chaque modèle sur sa propre tâche, résumée par tenseur ; sa sortie alimente l’entrée &apos;statistics&apos; des fusions de Fisher des mêmes modèles (elle est aussi gardée dans le cache des statistiques, où les fusions de Fisher qui la calculent la lisent)</translation>
    </message>
    <message>
        <source>The base model the adapters among the models apply to</source>
        <translation>Le modèle de base auquel s’appliquent les adaptateurs parmi les modèles</translation>
    </message>
    <message>
        <source>The models (or adapters of the base)</source>
        <translation>Les modèles (ou adaptateurs de la base)</translation>
    </message>
    <message>
        <source>Inputs of each model&apos;s task the Fisher is estimated on (as a Fisher merge&apos;s examples)</source>
        <translation>Entrées de la tâche de chaque modèle sur lesquelles l’information de Fisher est estimée (comme les exemples d’une fusion de Fisher)</translation>
    </message>
    <message>
        <source>Embedding map</source>
        <translation>Carte des plongements</translation>
    </message>
    <message>
        <source>Task embeddings of models and adapters, their similarities and a 2-D map</source>
        <translation>Plongements de tâche des modèles et adaptateurs, leurs similarités et une carte 2D</translation>
    </message>
    <message>
        <source>The base model, for Fisher and data embeddings</source>
        <translation>Le modèle de base, pour les plongements Fisher et données</translation>
    </message>
    <message>
        <source>Task data, for Fisher and data embeddings</source>
        <translation>Données de tâche, pour les plongements Fisher et données</translation>
    </message>
    <message>
        <source>Models and adapters to embed</source>
        <translation>Modèles et adaptateurs à plonger</translation>
    </message>
    <message>
        <source>param: the task vectors themselves; fisher: Task2Vec on the tasks; data: mean representations of the tasks&apos; inputs</source>
        <translation>param : les vecteurs de tâche eux-mêmes ; fisher : Task2Vec sur les tâches ; data : représentations moyennes des entrées des tâches</translation>
    </message>
    <message>
        <source>How the embeddings are drawn in 2-D</source>
        <translation>Comment les plongements sont dessinés en 2D</translation>
    </message>
    <message>
        <source>Values per parameter embedding (a seeded random sketch of each task vector); 0: the exact task vectors, for small models</source>
        <translation>Valeurs par plongement de paramètres (une esquisse aléatoire à graine de chaque vecteur de tâche) ; 0 : les vecteurs de tâche exacts, pour les petits modèles</translation>
    </message>
    <message>
        <source>Seed of random sketches and t-SNE</source>
        <translation>Graine des esquisses aléatoires et de t-SNE</translation>
    </message>
    <message>
        <source>Merge gain</source>
        <translation>Gain de fusion</translation>
    </message>
    <message>
        <source>For every pair of specialists: how alike their task vectors are (cosine) against what merging the two costs on their own tasks (merged accuracy minus the specialist&apos;s, in points). Each specialist&apos;s task is the one its name is or ends with (&apos;LoRA rotate&apos;: rotate)</source>
        <translation>Pour chaque paire de spécialistes : la ressemblance de leurs vecteurs de tâche (cosinus) face à ce que coûte leur fusion sur leurs propres tâches (exactitude fusionnée moins celle du spécialiste, en points). La tâche de chaque spécialiste est celle que son nom est ou par laquelle il se termine (&apos;LoRA rotate&apos; : rotate)</translation>
    </message>
    <message>
        <source>The tasks the specialists are named after</source>
        <translation>Les tâches dont les spécialistes portent le nom</translation>
    </message>
    <message>
        <source>Adapters, task vectors or fine-tunes of the base, at least two</source>
        <translation>Adaptateurs, vecteurs de tâche ou affinages de la base, au moins deux</translation>
    </message>
    <message>
        <source>How each pair is merged (methods that need no data)</source>
        <translation>Comment chaque paire est fusionnée (méthodes sans données)</translation>
    </message>
    <message>
        <source>Scale of the merged task vector: 1 merges to the pair&apos;s mean, 2 to their sum</source>
        <translation>Échelle du vecteur de tâche fusionné : 1 donne la moyenne de la paire, 2 leur somme</translation>
    </message>
    <message>
        <source>Fraction of each task vector kept by the sparsifying methods (ties, dare, ...)</source>
        <translation>Part de chaque vecteur de tâche conservée par les méthodes d’élagage (ties, dare, ...)</translation>
    </message>
    <message>
        <source>Inputs evaluated per task</source>
        <translation>Entrées évaluées par tâche</translation>
    </message>
    <message>
        <source>Router</source>
        <translation>Routeur</translation>
    </message>
    <message>
        <source>Routes each input among LoRA specialists of a base model (nearest task embedding, Arrow, a trained router or SMEAR) and scores the routed model per task, with how often each task&apos;s own specialist was chosen; on text tasks a language model&apos;s adapters, routed per example on the base&apos;s mean hidden state of its context, prompt or text (Arrow: classifiers only)</source>
        <translation>Oriente chaque entrée parmi des spécialistes LoRA d’un modèle de base (plongement de tâche le plus proche, Arrow, un routeur entraîné ou SMEAR) et évalue le modèle routé par tâche, avec la fréquence à laquelle le spécialiste propre à chaque tâche a été choisi ; sur des tâches textuelles, les adaptateurs d’un modèle de langue, routés par exemple selon l’état caché moyen de la base sur son contexte, son prompt ou son texte (Arrow : classifieurs seulement)</translation>
    </message>
    <message>
        <source>The base model the adapters were trained on</source>
        <translation>Le modèle de base sur lequel les adaptateurs ont été entraînés</translation>
    </message>
    <message>
        <source>Task data to score on; without &apos;fit&apos;, nearest, trained and smear also fit on the first examples of the tasks named after the adapters</source>
        <translation>Données de tâche à évaluer ; sans &apos;fit&apos;, nearest, trained et smear s’ajustent aussi sur les premiers exemples des tâches qui portent le nom des adaptateurs</translation>
    </message>
    <message>
        <source>Task data nearest, trained and smear fit on (validation examples), so that the scores on &apos;tasks&apos; are of examples the router never saw</source>
        <translation>Données de tâche sur lesquelles nearest, trained et smear s’ajustent (exemples de validation), pour que les scores sur &apos;tasks&apos; portent sur des exemples que le routeur n’a jamais vus</translation>
    </message>
    <message>
        <source>The specialists, named by their folders</source>
        <translation>Les spécialistes, nommés d’après leurs dossiers</translation>
    </message>
    <message>
        <source>nearest: cosine to each task&apos;s mean representation; arrow: data-free, top singular vectors of the adapters; trained: a linear router fitted on a few examples per task; smear: that router&apos;s probabilities average every adapter</source>
        <translation>nearest : cosinus à la représentation moyenne de chaque tâche ; arrow : sans données, premiers vecteurs singuliers des adaptateurs ; trained : un routeur linéaire ajusté sur quelques exemples par tâche ; smear : les probabilités de ce routeur moyennent tous les adaptateurs</translation>
    </message>
    <message>
        <source>Adapters mixed per input (their updates weighted by a softmax); 0: all of them</source>
        <translation>Adaptateurs mélangés par entrée (leurs mises à jour pondérées par un softmax) ; 0 : tous</translation>
    </message>
    <message>
        <source>Of the softmax over the kept scores</source>
        <translation>Du softmax sur les scores conservés</translation>
    </message>
    <message>
        <source>Seed of the trained router and of Arrow</source>
        <translation>Graine du routeur entraîné et d’Arrow</translation>
    </message>
    <message>
        <source>Examples per task the nearest prototypes and the trained router see; 0: all</source>
        <translation>Exemples par tâche que voient les prototypes les plus proches et le routeur entraîné ; 0 : tous</translation>
    </message>
    <message>
        <source>arrow: route at every adapted layer, or once per input on the layers&apos; summed scores</source>
        <translation>arrow : router à chaque couche adaptée, ou une fois par entrée sur les scores additionnés des couches</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>Affinage</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Trains a specialist of the base on task data: a LoRA or IA³ adapter (PEFT layout), or chosen tensors of the base (a model), with AdamW on k examples per class or task, scored on held-apart validation examples as it trains</source>
        <translation>Entraîne un spécialiste de la base sur des données de tâche : un adaptateur LoRA ou IA³ (format PEFT), ou des tenseurs choisis de la base (un modèle), avec AdamW sur k exemples par classe ou par tâche, évalué pendant l’entraînement sur des exemples de validation mis de côté</translation>
    </message>
    <message>
        <source>The model to fine-tune (a classifier or a causal language model)</source>
        <translation>Le modèle à affiner (un classifieur ou un modèle de langue causal)</translation>
    </message>
    <message>
        <source>Training data: task files (classifiers) or text tasks (language models); validation examples are held apart from them</source>
        <translation>Données d’entraînement : fichiers de tâche (classifieurs) ou tâches textuelles (modèles de langue) ; les exemples de validation en sont mis de côté</translation>
    </message>
    <message>
        <source>An adapter of the same method to continue training</source>
        <translation>Un adaptateur de la même méthode dont l’entraînement continue</translation>
    </message>
    <message>
        <source>The trained adapter (LoRA, IA³)</source>
        <translation>L’adaptateur entraîné (LoRA, IA³)</translation>
    </message>
    <message>
        <source>The base with the adapter applied, or the fine-tuned model</source>
        <translation>La base avec l’adaptateur appliqué, ou le modèle affiné</translation>
    </message>
    <message>
        <source>lora: low-rank updates; ia3: learned scaling vectors (T-Few); full: the chosen tensors themselves</source>
        <translation>lora : mises à jour de rang faible ; ia3 : vecteurs d’échelle appris (T-Few) ; full : les tenseurs choisis eux-mêmes</translation>
    </message>
    <message>
        <source>The tasks to train on, comma-separated; empty: every task of the input (a multi-task specialist)</source>
        <translation>Les tâches d’entraînement, séparées par des virgules ; vide : chaque tâche de l’entrée (un spécialiste multitâche)</translation>
    </message>
    <message>
        <source>LoRA: the rank r of the update B·A</source>
        <translation>LoRA : le rang r de la mise à jour B·A</translation>
    </message>
    <message>
        <source>LoRA: the update is scaled by alpha / r</source>
        <translation>LoRA : la mise à jour est mise à l’échelle par alpha / r</translation>
    </message>
    <message>
        <source>LoRA: scale by alpha / √r instead (rank-stabilized LoRA)</source>
        <translation>LoRA : mettre plutôt à l’échelle par alpha / √r (LoRA à rang stabilisé)</translation>
    </message>
    <message>
        <source>LoRA: dropout on the update&apos;s input while training (language models)</source>
        <translation>LoRA : dropout sur l’entrée de la mise à jour pendant l’entraînement (modèles de langue)</translation>
    </message>
    <message>
        <source>Modules to adapt, comma-separated; a module matches when its name is an entry or ends with &apos;.&apos; and it; empty: the architecture&apos;s default (classifiers: the trunk; language models: q_proj, v_proj for LoRA, k_proj, v_proj, down_proj for IA³)</source>
        <translation>Modules à adapter, séparés par des virgules ; un module correspond quand son nom est une entrée ou se termine par &apos;.&apos; suivi d’elle ; vide : le choix par défaut de l’architecture (classifieurs : le tronc ; modèles de langue : q_proj, v_proj pour LoRA, k_proj, v_proj, down_proj pour IA³)</translation>
    </message>
    <message>
        <source>A regular expression over whole module names, used instead of target_modules</source>
        <translation>Une expression régulière sur les noms complets des modules, utilisée à la place de target_modules</translation>
    </message>
    <message>
        <source>IA³: target modules whose input rather than output is scaled; empty: down_proj (mlp.c_proj)</source>
        <translation>IA³ : modules cibles dont l’entrée plutôt que la sortie est mise à l’échelle ; vide : down_proj (mlp.c_proj)</translation>
    </message>
    <message>
        <source>full: a regular expression over the tensor names that train; empty: the target modules&apos; tensors</source>
        <translation>full : une expression régulière sur les noms des tenseurs entraînés ; vide : les tenseurs des modules cibles</translation>
    </message>
    <message>
        <source>k: training examples per class (or per task); 0: every example not held apart</source>
        <translation>k : exemples d’entraînement par classe (ou par tâche) ; 0 : chaque exemple non mis de côté</translation>
    </message>
    <message>
        <source>What &apos;examples&apos; and &apos;validation_examples&apos; count</source>
        <translation>Ce que comptent &apos;examples&apos; et &apos;validation_examples&apos;</translation>
    </message>
    <message>
        <source>Examples per class (or task) held apart to score each checkpoint; 0: none, the last step is kept</source>
        <translation>Exemples par classe (ou tâche) mis de côté pour évaluer chaque checkpoint ; 0 : aucun, le dernier pas est gardé</translation>
    </message>
    <message>
        <source>Steps between validation scores</source>
        <translation>Pas entre les scores de validation</translation>
    </message>
    <message>
        <source>Stop after this many validations without improvement; 0: train every step</source>
        <translation>Arrêter après ce nombre de validations sans amélioration ; 0 : entraîner tous les pas</translation>
    </message>
    <message>
        <source>Language models on multiple-choice tasks: cross-entropy on the answer, plus T-Few&apos;s unlikelihood on wrong choices, its length-normalized choice loss, or both (tfew)</source>
        <translation>Modèles de langue sur des tâches à choix multiples : entropie croisée sur la réponse, plus l’unlikelihood de T-Few sur les mauvais choix, sa perte de choix normalisée par la longueur, ou les deux (tfew)</translation>
    </message>
    <message>
        <source>AdamW&apos;s peak step size</source>
        <translation>Taille de pas maximale d’AdamW</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay</source>
        <translation>Décroissance des poids découplée d’AdamW</translation>
    </message>
    <message>
        <source>How the learning rate decays after the warm-up</source>
        <translation>Comment le taux d’apprentissage décroît après l’échauffement</translation>
    </message>
    <message>
        <source>Steps of linear warm-up from 0</source>
        <translation>Pas d’échauffement linéaire depuis 0</translation>
    </message>
    <message>
        <source>Examples per micro-batch</source>
        <translation>Exemples par micro-lot</translation>
    </message>
    <message>
        <source>Optimizer steps (when epochs is 0)</source>
        <translation>Pas de l’optimiseur (quand epochs vaut 0)</translation>
    </message>
    <message>
        <source>Passes over the training examples; 0: use steps</source>
        <translation>Passes sur les exemples d’entraînement ; 0 : utiliser steps</translation>
    </message>
    <message>
        <source>Micro-batches per optimizer step</source>
        <translation>Micro-lots par pas de l’optimiseur</translation>
    </message>
    <message>
        <source>Seeds the example selection, initialization and batches</source>
        <translation>Graine de la sélection des exemples, de l’initialisation et des lots</translation>
    </message>
    <message>
        <source>A folder the trained adapter (or model) is also written to, to share or load elsewhere; a cancelled run writes its best checkpoint there. Empty: the engine&apos;s cache only (a cancelled run&apos;s best checkpoint goes to the cache&apos;s checkpoints folder)</source>
        <translation>Un dossier où l’adaptateur (ou le modèle) entraîné est aussi écrit, pour le partager ou le charger ailleurs ; une exécution interrompue y écrit son meilleur checkpoint. Vide : le cache du moteur seulement (le meilleur checkpoint d’une exécution interrompue va dans le dossier checkpoints du cache)</translation>
    </message>
    <message>
        <source>Feature interference</source>
        <translation>Interférence des caractéristiques</translation>
    </message>
    <message>
        <source>task vector similarity (cosine)</source>
        <translation>similarité des vecteurs de tâche (cosinus)</translation>
    </message>
    <message>
        <source>merge gain (accuracy points)</source>
        <translation>gain de fusion (points d’exactitude)</translation>
    </message>
    <message>
        <source>AdaMerging: entropy of the merged model&apos;s predictions on unlabelled inputs</source>
        <translation>AdaMerging : entropie des prédictions du modèle fusionné sur des entrées non étiquetées</translation>
    </message>
    <message>
        <source>step</source>
        <translation>étape</translation>
    </message>
    <message>
        <source>entropy (nats)</source>
        <translation>entropie (nats)</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>candidat</translation>
    </message>
    <message>
        <source>validation accuracy (%)</source>
        <translation>exactitude de validation (%)</translation>
    </message>
    <message>
        <source>node type &apos;%1&apos; is unknown to this version (a newer Merganser or a plug-in that is not loaded): it is kept as it is but cannot run</source>
        <translation>le type de nœud « %1 » est inconnu de cette version (un Merganser plus récent ou un greffon non chargé) : il est gardé tel quel mais ne peut pas s’exécuter</translation>
    </message>
    <message>
        <source>is part of a cycle: a node cannot depend on its own result</source>
        <translation>fait partie d’un cycle : un nœud ne peut pas dépendre de son propre résultat</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 manque</translation>
    </message>
    <message>
        <source>%1 is not set</source>
        <translation>%1 n’est pas défini</translation>
    </message>
    <message>
        <source>parameter &apos;%1&apos; is not one of %2&apos;s and is ignored</source>
        <translation>le paramètre « %1 » n’appartient pas à %2 et est ignoré</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is not connected</source>
        <translation>l’entrée « %1 » n’est pas connectée</translation>
    </message>
    <message>
        <source>no input is connected to &apos;%1&apos;</source>
        <translation>aucune entrée n’est connectée à « %1 »</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; does not exist on %2</source>
        <translation>l’entrée « %1 » n’existe pas sur %2</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is fed by an output that does not exist</source>
        <translation>l’entrée « %1 » est alimentée par une sortie qui n’existe pas</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; takes a %2, not a %3</source>
        <translation>l’entrée « %1 » prend un %2, pas un %3</translation>
    </message>
    <message>
        <source>&apos;base&apos; needs a model, not an adapter: apply the adapter to its base first</source>
        <translation>&apos;base&apos; attend un modèle, pas un adaptateur : appliquer d’abord l’adaptateur à sa base</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is an adapter: connect the base model it was trained on to &apos;base&apos;</source>
        <translation>l’entrée « %1 » est un adaptateur : relier le modèle de base sur lequel il a été entraîné à &apos;base&apos;</translation>
    </message>
    <message>
        <source>input &apos;%1&apos; is an adapter: %2 has no base to apply it to (add it to a base with a merge or Add deltas)</source>
        <translation>l’entrée « %1 » est un adaptateur : %2 n’a pas de base à laquelle l’appliquer (l’ajouter à une base avec une fusion ou « Ajouter des deltas »)</translation>
    </message>
    <message>
        <source>%1 needs the base model: connect it to &apos;base&apos;</source>
        <translation>%1 a besoin du modèle de base : le relier à &apos;base&apos;</translation>
    </message>
    <message>
        <source>%1 does not use a base model: connect it to &apos;models&apos; as a weighted input</source>
        <translation>%1 n’utilise pas de modèle de base : le relier à &apos;models&apos; comme entrée pondérée</translation>
    </message>
</context>
<context>
    <name>FramePalette</name>
    <message>
        <source>Grey</source>
        <translation>Gris</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rouge</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Jaune</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Vert</translation>
    </message>
    <message>
        <source>Teal</source>
        <translation>Bleu canard</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Bleu</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Violet</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>%1%</source>
        <comment>a percentage; %1 is the number</comment>
        <translation>%1&#xa0;%</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Save the chart as an image or the table as CSV</source>
        <translation>Enregistrer le graphique en image ou le tableau en CSV</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Exportation impossible</translation>
    </message>
    <message>
        <source>cluster %1</source>
        <translation>groupe %1</translation>
    </message>
    <message>
        <source>no skill</source>
        <translation>aucune compétence</translation>
    </message>
    <message>
        <source>skills %1</source>
        <translation>compétences %1</translation>
    </message>
    <message>
        <source>nearest: %1</source>
        <translation>plus proches : %1</translation>
    </message>
    <message>
        <source>Parameters (task vectors)</source>
        <translation>Paramètres (vecteurs de tâche)</translation>
    </message>
    <message>
        <source>Fisher (Task2Vec)</source>
        <translation>Fisher (Task2Vec)</translation>
    </message>
    <message>
        <source>Data (mean features)</source>
        <translation>Données (caractéristiques moyennes)</translation>
    </message>
    <message>
        <source>PCA</source>
        <translation>ACP</translation>
    </message>
    <message>
        <source>MDS</source>
        <translation>MDS</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>paramètre</translation>
    </message>
    <message>
        <source>no file chosen</source>
        <translation>aucun fichier choisi</translation>
    </message>
    <message>
        <source>unknown node type %1</source>
        <translation>type de nœud inconnu %1</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>sortie %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Avertissement : %1</translation>
    </message>
    <message>
        <source>Merganser projects (*.mgproj)</source>
        <translation>Projets Merganser (*.mgproj)</translation>
    </message>
    <message>
        <source>mergekit recipes (*.yml *.yaml)</source>
        <translation>Recettes mergekit (*.yml *.yaml)</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>avertissement : %1</translation>
    </message>
    <message>
        <source>Similarity (1 − Task2Vec distance), in clustering order</source>
        <translation>Similarité (1 − distance Task2Vec), dans l’ordre du regroupement</translation>
    </message>
    <message>
        <source>Cosine similarity, in clustering order</source>
        <translation>Similarité cosinus, dans l’ordre du regroupement</translation>
    </message>
    <message>
        <source>Rows and columns follow the average-linkage clustering, so that close points sit together; 1 is identical</source>
        <translation>Les lignes et les colonnes suivent le regroupement hiérarchique à liaison moyenne, de sorte que les points proches soient voisins ; 1 signifie identique</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>As the System</source>
        <translation>Comme le système</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationActions</name>
    <message>
        <source>&amp;Frame Selection</source>
        <translation>&amp;Encadrer la sélection</translation>
    </message>
    <message>
        <source>A titled frame around the selected nodes; dragging it moves them together</source>
        <translation>Un cadre titré autour des nœuds sélectionnés ; le déplacer les déplace ensemble</translation>
    </message>
    <message>
        <source>Add &amp;Comment</source>
        <translation>Ajouter un &amp;commentaire</translation>
    </message>
    <message>
        <source>Frame %1</source>
        <translation>Cadre %1</translation>
    </message>
    <message>
        <source>Remove Reroute Point</source>
        <translation>Supprimer le point de renvoi</translation>
    </message>
    <message>
        <source>Add Reroute Point</source>
        <translation>Ajouter un point de renvoi</translation>
    </message>
    <message>
        <source>Edit Frame…</source>
        <translation>Modifier le cadre…</translation>
    </message>
    <message>
        <source>Edit Comment…</source>
        <translation>Modifier le commentaire…</translation>
    </message>
    <message>
        <source>Frame Colour</source>
        <translation>Couleur du cadre</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationDialog</name>
    <message>
        <source>Edit Frame</source>
        <translation>Modifier le cadre</translation>
    </message>
    <message>
        <source>Edit Comment</source>
        <translation>Modifier le commentaire</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titre :</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>Couleur :</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, - lists, # headings, [links](https://…)</source>
        <translation>Markdown : **gras**, *italique*, - listes, # titres, [liens](https://…)</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationLayer</name>
    <message>
        <source>Add reroute point</source>
        <translation>Ajouter un point de renvoi</translation>
    </message>
    <message>
        <source>Remove reroute point</source>
        <translation>Supprimer le point de renvoi</translation>
    </message>
</context>
<context>
    <name>mg::ui::AnnotationProperties</name>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, - lists, # headings</source>
        <translation>Markdown : **gras**, *italique*, - listes, # titres</translation>
    </message>
    <message>
        <source>Shown on the canvas as Markdown; double-click the frame or comment to edit it with a preview.</source>
        <translation>Affiché sur le canevas en Markdown ; double-cliquer sur le cadre ou le commentaire pour le modifier avec un aperçu.</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>Cadre</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>Comment (Markdown)</source>
        <translation>Commentaire (Markdown)</translation>
    </message>
    <message>
        <source>Text (Markdown)</source>
        <translation>Texte (Markdown)</translation>
    </message>
</context>
<context>
    <name>mg::ui::CompareView</name>
    <message>
        <source>Absolute</source>
        <translation>Absolue</translation>
    </message>
    <message>
        <source>Accuracy on each task</source>
        <translation>Exactitude sur chaque tâche</translation>
    </message>
    <message>
        <source>Normalized</source>
        <translation>Normalisée</translation>
    </message>
    <message>
        <source>Accuracy divided by the accuracy of the task&apos;s specialist</source>
        <translation>Exactitude divisée par l’exactitude du spécialiste de la tâche</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplexité</translation>
    </message>
    <message>
        <source>A language model&apos;s perplexity on each perplexity task (lower is better)</source>
        <translation>La perplexité d’un modèle de langue sur chaque tâche de perplexité (plus bas est meilleur)</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <source>perplexity (lower is better)</source>
        <translation>perplexité (plus bas est meilleur)</translation>
    </message>
    <message>
        <source>Per-task perplexity</source>
        <translation>Perplexité par tâche</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>exactitude</translation>
    </message>
    <message>
        <source>Per-task accuracy</source>
        <translation>Exactitude par tâche</translation>
    </message>
    <message>
        <source>accuracy ÷ specialist</source>
        <translation>exactitude ÷ spécialiste</translation>
    </message>
    <message>
        <source>Normalized accuracy</source>
        <translation>Exactitude normalisée</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <source>Specialist: %1</source>
        <translation>Spécialiste : %1</translation>
    </message>
    <message>
        <source>Specialist of %1: the reference of the normalized scores</source>
        <translation>Spécialiste de %1 : la référence des scores normalisés</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>non évalué</translation>
    </message>
    <message>
        <source>perplexity %1</source>
        <translation>perplexité %1</translation>
    </message>
    <message>
        <source>%1 of the specialist</source>
        <translation>%1 du spécialiste</translation>
    </message>
    <message>
        <source>No scores</source>
        <translation>Aucun score</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) on %1 task(s); mean = average over the tasks a model was scored on.</source>
        <translation>
            <numerusform>%n modèle sur %1 tâche(s) ; moyenne = moyenne sur les tâches où un modèle a été évalué.</numerusform>
            <numerusform>%n modèles sur %1 tâche(s) ; moyenne = moyenne sur les tâches où un modèle a été évalué.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Perplexity: exp of the mean negative log-likelihood per token of each task&apos;s texts; lower is better. %n model(s) on %1 task(s).</source>
        <translation>
            <numerusform>Perplexité : exp de la log-vraisemblance négative moyenne par jeton des textes de chaque tâche ; plus bas est meilleur. %n modèle sur %1 tâche(s).</numerusform>
            <numerusform>Perplexité : exp de la log-vraisemblance négative moyenne par jeton des textes de chaque tâche ; plus bas est meilleur. %n modèles sur %1 tâche(s).</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Accuracy ÷ the task&apos;s specialist: the model named after the task, else the best model shown on it.</source>
        <translation>Exactitude ÷ spécialiste de la tâche : le modèle qui porte le nom de la tâche, sinon le meilleur modèle affiché sur celle-ci.</translation>
    </message>
    <message>
        <source>Named: %1.</source>
        <translation>Nommés : %1.</translation>
    </message>
    <message>
        <source>Best shown: %1.</source>
        <translation>Meilleur affiché : %1.</translation>
    </message>
</context>
<context>
    <name>mg::ui::EmbeddingMapView</name>
    <message>
        <source>Which Embedding map node</source>
        <translation>Quel nœud de carte de plongements</translation>
    </message>
    <message>
        <source>What embeds the tasks</source>
        <translation>Ce qui plonge les tâches</translation>
    </message>
    <message>
        <source>How the embeddings are drawn in 2-D</source>
        <translation>Comment les plongements sont dessinés en 2D</translation>
    </message>
    <message>
        <source>What the colours tell</source>
        <translation>Ce que disent les couleurs</translation>
    </message>
    <message>
        <source>Colour by cluster</source>
        <translation>Colorer par groupe</translation>
    </message>
    <message>
        <source>Colour by skill</source>
        <translation>Colorer par compétence</translation>
    </message>
    <message>
        <source>Merge picked</source>
        <translation>Fusionner la sélection</translation>
    </message>
    <message>
        <source>Each point is a specialist&apos;s task vector. </source>
        <translation>Chaque point est le vecteur de tâche d’un spécialiste. </translation>
    </message>
    <message>
        <source>Each point is a task. </source>
        <translation>Chaque point est une tâche. </translation>
    </message>
    <message>
        <source>Close points are alike (%1 similarity). Hover a point for its nearest neighbours; click to select its node; Ctrl+click or drag a lasso to pick several</source>
        <translation>Les points proches se ressemblent (similarité %1). Survoler un point montre ses plus proches voisins ; cliquer sélectionne son nœud ; Ctrl+clic ou un lasso en choisit plusieurs</translation>
    </message>
    <message>
        <source>, then Merge picked, or drag them onto a merge node in the graph.</source>
        <translation>, puis « Fusionner la sélection », ou les faire glisser sur un nœud de fusion du graphe.</translation>
    </message>
    <message>
        <source>.</source>
        <translation>.</translation>
    </message>
    <message>
        <source>No map</source>
        <translation>Aucune carte</translation>
    </message>
    <message>
        <source>The points are tasks here; pick specialists on the parameter map to merge them</source>
        <translation>Les points sont ici des tâches ; choisir les spécialistes à fusionner sur la carte des paramètres</translation>
    </message>
    <message>
        <source>A picked point has no node in this graph (run the project again)</source>
        <translation>Un point choisi n’a pas de nœud dans ce graphe (exécuter le projet à nouveau)</translation>
    </message>
    <message>
        <source>Pick two or more specialists (Ctrl+click or drag a lasso)</source>
        <translation>Choisir deux spécialistes ou plus (Ctrl+clic ou lasso)</translation>
    </message>
    <message numerus="yes">
        <source>A task arithmetic merge of the %n picked specialist(s); the arrow offers other methods</source>
        <translation>
            <numerusform>Une fusion par arithmétique des tâches du %n spécialiste choisi ; la flèche propose d’autres méthodes</numerusform>
            <numerusform>Une fusion par arithmétique des tâches des %n spécialistes choisis ; la flèche propose d’autres méthodes</numerusform>
        </translation>
    </message>
    <message>
        <source>no map to export</source>
        <translation>aucune carte à exporter</translation>
    </message>
</context>
<context>
    <name>mg::ui::GraphScene</name>
    <message>
        <source>%1 → %2, %3 (%4)</source>
        <translation>%1 → %2, %3 (%4)</translation>
    </message>
    <message>
        <source>an output connects to an input</source>
        <translation>une sortie se connecte à une entrée</translation>
    </message>
    <message>
        <source>drop the edge on an output of %1</source>
        <translation>déposer la connexion sur une sortie de %1</translation>
    </message>
</context>
<context>
    <name>mg::ui::GraphView</name>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Co&amp;uper</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>C&amp;oller</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Dupliquer</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Tout sélectionner</translation>
    </message>
    <message>
        <source>Align &amp;Left</source>
        <translation>Aligner à &amp;gauche</translation>
    </message>
    <message>
        <source>Align &amp;Top</source>
        <translation>Aligner en &amp;haut</translation>
    </message>
    <message>
        <source>Auto-&amp;Layout</source>
        <translation>Disposition a&amp;utomatique</translation>
    </message>
    <message>
        <source>Add &amp;Node…</source>
        <translation>Ajouter un &amp;nœud…</translation>
    </message>
    <message>
        <source>&amp;Fit All</source>
        <translation>&amp;Tout afficher</translation>
    </message>
    <message>
        <source>Fit &amp;Selection</source>
        <translation>Afficher la &amp;sélection</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Zoom avant</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>S&amp;nap to Grid</source>
        <translation>&amp;Magnétisme de la grille</translation>
    </message>
    <message>
        <source>&amp;Minimap</source>
        <translation>&amp;Minicarte</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Grouper</translation>
    </message>
    <message>
        <source>U&amp;ngroup</source>
        <translation>&amp;Dégrouper</translation>
    </message>
    <message>
        <source>Open or Collapse Group</source>
        <translation>Ouvrir ou replier le groupe</translation>
    </message>
    <message>
        <source>Rename Group…</source>
        <translation>Renommer le groupe…</translation>
    </message>
    <message>
        <source>Save Group to Library</source>
        <translation>Enregistrer le groupe dans la bibliothèque</translation>
    </message>
    <message>
        <source>Group %1</source>
        <translation>Groupe %1</translation>
    </message>
    <message>
        <source>Rename Group</source>
        <translation>Renommer le groupe</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titre :</translation>
    </message>
    <message>
        <source>Saved the group %1 to the Library</source>
        <translation>Groupe %1 enregistré dans la bibliothèque</translation>
    </message>
    <message>
        <source>Align left</source>
        <translation>Aligner à gauche</translation>
    </message>
    <message>
        <source>Align top</source>
        <translation>Aligner en haut</translation>
    </message>
</context>
<context>
    <name>mg::ui::GroupItem</name>
    <message numerus="yes">
        <source>%1 → %n input(s)</source>
        <translation>
            <numerusform>%1 → %n entrée</numerusform>
            <numerusform>%1 → %n entrées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Group of %n node(s): double-click to open it</source>
        <translation>
            <numerusform>Groupe de %n nœud : double-cliquer pour l’ouvrir</numerusform>
            <numerusform>Groupe de %n nœuds : double-cliquer pour l’ouvrir</numerusform>
        </translation>
    </message>
    <message>
        <source>Double-click the title to collapse the group</source>
        <translation>Double-cliquer sur le titre pour replier le groupe</translation>
    </message>
    <message numerus="yes">
        <source>group of %n node(s)</source>
        <translation>
            <numerusform>groupe de %n nœud</numerusform>
            <numerusform>groupe de %n nœuds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mg::ui::HeatmapView</name>
    <message>
        <source>%1 on %2: %3</source>
        <translation>%1 sur %2 : %3</translation>
    </message>
    <message>
        <source>Click a row to select its node.</source>
        <translation>Cliquer sur une ligne sélectionne son nœud.</translation>
    </message>
    <message>
        <source>. Click a row to select its node.</source>
        <translation>. Cliquer sur une ligne sélectionne son nœud.</translation>
    </message>
</context>
<context>
    <name>mg::ui::LibraryPanel</name>
    <message>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <source>adapter</source>
        <translation>adaptateur</translation>
    </message>
    <message>
        <source>task data</source>
        <translation>données de tâche</translation>
    </message>
    <message>
        <source>Filter node types and sources</source>
        <translation>Filtrer les types de nœuds et les sources</translation>
    </message>
    <message>
        <source>Node types</source>
        <translation>Types de nœuds</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Cannot run in this version: %1&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;Ne peut pas s’exécuter dans cette version : %1&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Saved groups</source>
        <translation>Groupes enregistrés</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <source>Add a folder to scan for models, adapters and task data</source>
        <translation>Ajouter un dossier où chercher des modèles, des adaptateurs et des données de tâche</translation>
    </message>
    <message>
        <source>Remove Folder</source>
        <translation>Retirer le dossier</translation>
    </message>
    <message>
        <source>Stop listing the selected folder (nothing is deleted)</source>
        <translation>Ne plus lister le dossier sélectionné (rien n’est supprimé)</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Réanalyser</translation>
    </message>
    <message>
        <source>Scan the folders again</source>
        <translation>Analyser à nouveau les dossiers</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Add a folder to list the models, adapters and task data in it.</source>
        <translation>Ajouter un dossier pour lister les modèles, adaptateurs et données de tâche qu’il contient.</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Analyse…</translation>
    </message>
    <message>
        <source>nothing found</source>
        <translation>rien trouvé</translation>
    </message>
    <message>
        <source>folder not found</source>
        <translation>dossier introuvable</translation>
    </message>
    <message>
        <source>1 source found</source>
        <translation>1 source trouvée</translation>
    </message>
    <message>
        <source>%1 sources found</source>
        <translation>%1 sources trouvées</translation>
    </message>
    <message>
        <source>A saved group: drag it onto the canvas
%1</source>
        <translation>Un groupe enregistré : le faire glisser sur le canevas
%1</translation>
    </message>
    <message>
        <source>Add a Library Folder</source>
        <translation>Ajouter un dossier à la bibliothèque</translation>
    </message>
    <message>
        <source>%1 as of commit %2
%3, %4
%5
Drag it onto the canvas to use this version.</source>
        <translation>%1 tel qu’au commit %2
%3, %4
%5
Le faire glisser sur le canevas pour utiliser cette version.</translation>
    </message>
</context>
<context>
    <name>mg::ui::LogPanel</name>
    <message>
        <source>Debug and above</source>
        <translation>Débogage et plus</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info et plus</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Avertissements et erreurs</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Erreurs seulement</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Afficher :</translation>
    </message>
</context>
<context>
    <name>mg::ui::MainWindow</name>
    <message>
        <source>Engine idle</source>
        <translation>Moteur inactif</translation>
    </message>
    <message>
        <source>Drag models and adapters from the library, or press Space to add a node</source>
        <translation>Faire glisser des modèles et des adaptateurs depuis la bibliothèque, ou appuyer sur Espace pour ajouter un nœud</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothèque</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propriétés</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <source>Scores not saved: %1</source>
        <translation>Scores non enregistrés : %1</translation>
    </message>
    <message>
        <source>The winner was not added: %1</source>
        <translation>Le gagnant n’a pas été ajouté : %1</translation>
    </message>
    <message>
        <source>Added &apos;%1&apos;: feed it to an Evaluate or Export node</source>
        <translation>« %1 » ajouté : le relier à un nœud Évaluer ou Exporter</translation>
    </message>
    <message>
        <source>That model&apos;s node (%1) is no longer in the project</source>
        <translation>Le nœud de ce modèle (%1) n’est plus dans le projet</translation>
    </message>
    <message>
        <source>Those nodes are no longer in the project</source>
        <translation>Ces nœuds ne sont plus dans le projet</translation>
    </message>
    <message>
        <source>No merge made: %1</source>
        <translation>Aucune fusion créée : %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n picked specialist(s) added; feed it to an Evaluate node to score it</source>
        <translation>
            <numerusform>%1 du %n spécialiste choisi ajouté ; le relier à un nœud Évaluer pour l’évaluer</numerusform>
            <numerusform>%1 des %n spécialistes choisis ajouté ; le relier à un nœud Évaluer pour l’évaluer</numerusform>
        </translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 ouvert</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>Restaurer le travail non enregistré ?</translation>
    </message>
    <message>
        <source>Merganser did not close normally last time. Restore the unsaved project%1?</source>
        <translation>Merganser ne s’est pas fermé normalement la dernière fois. Restaurer le projet non enregistré%1 ?</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>Cannot restore the project</source>
        <translation>Impossible de restaurer le projet</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>The project has unsaved changes. Save them?</source>
        <translation>Le projet a des modifications non enregistrées. Les enregistrer ?</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation>&amp;Nouveau projet</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Ouvrir un fichier &amp;récent</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Enregistrer &amp;sous…</translation>
    </message>
    <message>
        <source>&amp;Import mergekit YAML…</source>
        <translation>&amp;Importer une recette mergekit YAML…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>E&amp;xporter</translation>
    </message>
    <message>
        <source>&amp;mergekit YAML…</source>
        <translation>Recette &amp;mergekit YAML…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Thème</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>E&amp;xécution</translation>
    </message>
    <message>
        <source>&amp;Run All</source>
        <translation>&amp;Tout exécuter</translation>
    </message>
    <message>
        <source>Run &amp;Selected</source>
        <translation>Exécuter la &amp;sélection</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Interrompre</translation>
    </message>
    <message>
        <source>Clear Cached &amp;Results</source>
        <translation>Effacer les &amp;résultats en cache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>&amp;Guide de l’utilisateur</translation>
    </message>
    <message>
        <source>&amp;About Merganser</source>
        <translation>À &amp;propos de Merganser</translation>
    </message>
    <message>
        <source>About Merganser</source>
        <translation>À propos de Merganser</translation>
    </message>
    <message>
        <source>&lt;p&gt;Merganser %1 — a workbench for composing models from a base model, fine-tunes and adapters.&lt;/p&gt;&lt;p&gt;Built on:&lt;br&gt;%2&lt;/p&gt;</source>
        <translation>&lt;p&gt;Merganser %1 — un atelier pour composer des modèles à partir d’un modèle de base, d’affinages et d’adaptateurs.&lt;/p&gt;&lt;p&gt;Construit avec :&lt;br&gt;%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Impossible d’ouvrir le projet</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Vider la liste</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Ouvrir un projet</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>Impossible d’enregistrer le projet</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Enregistrer le projet sous</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>%1 importé</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 écrit</translation>
    </message>
    <message>
        <source>Import mergekit YAML</source>
        <translation>Importer une recette mergekit YAML</translation>
    </message>
    <message>
        <source>Cannot import the recipe</source>
        <translation>Impossible d’importer la recette</translation>
    </message>
    <message>
        <source>Cannot export a recipe</source>
        <translation>Impossible d’exporter une recette</translation>
    </message>
    <message>
        <source>Select one merge node: its recipe is what the YAML file holds.</source>
        <translation>Sélectionner un seul nœud de fusion : sa recette est ce que contient le fichier YAML.</translation>
    </message>
    <message>
        <source>Export mergekit YAML</source>
        <translation>Exporter une recette mergekit YAML</translation>
    </message>
    <message>
        <source>Cannot export the recipe</source>
        <translation>Impossible d’exporter la recette</translation>
    </message>
</context>
<context>
    <name>mg::ui::Minimap</name>
    <message>
        <source>Overview: click to move the view</source>
        <translation>Vue d’ensemble : cliquer pour déplacer la vue</translation>
    </message>
</context>
<context>
    <name>mg::ui::ParamEditor</name>
    <message>
        <source>one value, or one per input: 0.3, 0.5</source>
        <translation>une valeur, ou une par entrée : 0.3, 0.5</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose a File</source>
        <translation>Choisir un fichier</translation>
    </message>
    <message>
        <source>Choose a Folder</source>
        <translation>Choisir un dossier</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Enregistrer sous</translation>
    </message>
</context>
<context>
    <name>mg::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> Go</translation>
    </message>
    <message>
        <source>Disk space the engine may keep for cached results that are files (extracted adapters); beyond it the least recently used are deleted and re-run when needed. The last run&apos;s files are always kept.</source>
        <translation>Espace disque que le moteur peut garder pour les résultats en cache qui sont des fichiers (adaptateurs extraits) ; au-delà, les moins récemment utilisés sont supprimés et recalculés au besoin. Les fichiers de la dernière exécution sont toujours gardés.</translation>
    </message>
    <message>
        <source>Cache size limit:</source>
        <translation>Limite du cache :</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>A new language applies when Merganser starts next.</source>
        <translation>Une nouvelle langue s’applique au prochain démarrage de Merganser.</translation>
    </message>
</context>
<context>
    <name>mg::ui::ProjectSession</name>
    <message>
        <source>%1 takes no further %2 input</source>
        <translation>%1 ne prend pas d’autre entrée %2</translation>
    </message>
    <message>
        <source>the project has no file yet: use Save As</source>
        <translation>le projet n’a pas encore de fichier : utiliser « Enregistrer sous »</translation>
    </message>
    <message>
        <source>unknown node type &apos;%1&apos;</source>
        <translation>type de nœud inconnu « %1 »</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>Ajouter %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Drop %1 on %2</source>
        <translation>Déposer %1 sur %2</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n sources</source>
        <translation>
            <numerusform>Déposer %n source</numerusform>
            <numerusform>Déposer %n sources</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to connect</source>
        <translation>rien à connecter</translation>
    </message>
    <message>
        <source>the new node has no free input of this type</source>
        <translation>le nouveau nœud n’a pas d’entrée libre de ce type</translation>
    </message>
    <message>
        <source>the new node has no output this input takes</source>
        <translation>le nouveau nœud n’a pas de sortie que cette entrée accepte</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>nothing to delete</source>
        <translation>rien à supprimer</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>Supprimer %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n nodes</source>
        <translation>
            <numerusform>Supprimer %n nœud</numerusform>
            <numerusform>Supprimer %n nœuds</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect %1 to %2</source>
        <translation>Connecter %1 à %2</translation>
    </message>
    <message>
        <source>that input is not connected</source>
        <translation>cette entrée n’est pas connectée</translation>
    </message>
    <message>
        <source>Disconnect %1</source>
        <translation>Déconnecter %1</translation>
    </message>
    <message>
        <source>Replace connection to %1</source>
        <translation>Remplacer la connexion vers %1</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>no node %1</source>
        <translation>aucun nœud %1</translation>
    </message>
    <message>
        <source>Set %1 of %2</source>
        <translation>Définir %1 de %2</translation>
    </message>
    <message>
        <source>no parameter &apos;%1&apos; here</source>
        <translation>pas de paramètre « %1 » ici</translation>
    </message>
    <message>
        <source>that input has no weight</source>
        <translation>cette entrée n’a pas de poids</translation>
    </message>
    <message>
        <source>Set weight on %1</source>
        <translation>Définir le poids sur %1</translation>
    </message>
    <message>
        <source>a title cannot be empty</source>
        <translation>un titre ne peut pas être vide</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>Renommer %1 en %2</translation>
    </message>
    <message>
        <source>select the nodes to group first</source>
        <translation>sélectionner d’abord les nœuds à grouper</translation>
    </message>
    <message>
        <source>a group needs a title</source>
        <translation>un groupe a besoin d’un titre</translation>
    </message>
    <message numerus="yes">
        <source>Group %n node(s)</source>
        <translation>
            <numerusform>Grouper %n nœud</numerusform>
            <numerusform>Grouper %n nœuds</numerusform>
        </translation>
    </message>
    <message>
        <source>no group %1</source>
        <translation>aucun groupe %1</translation>
    </message>
    <message>
        <source>Ungroup</source>
        <translation>Dégrouper</translation>
    </message>
    <message>
        <source>Collapse group</source>
        <translation>Replier le groupe</translation>
    </message>
    <message>
        <source>Open group</source>
        <translation>Ouvrir le groupe</translation>
    </message>
    <message>
        <source>Rename group to %1</source>
        <translation>Renommer le groupe en %1</translation>
    </message>
    <message>
        <source>%1: cannot write the group (%2)</source>
        <translation>%1 : impossible d’écrire le groupe (%2)</translation>
    </message>
    <message>
        <source>%1: cannot read the group (%2)</source>
        <translation>%1 : impossible de lire le groupe (%2)</translation>
    </message>
    <message>
        <source>%1: not a saved group (%2)</source>
        <translation>%1 : pas un groupe enregistré (%2)</translation>
    </message>
    <message>
        <source>Move node</source>
        <translation>Déplacer le nœud</translation>
    </message>
    <message>
        <source>Move nodes</source>
        <translation>Déplacer les nœuds</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>Disposition automatique</translation>
    </message>
    <message>
        <source>the clipboard holds no nodes (%1)</source>
        <translation>le presse-papiers ne contient aucun nœud (%1)</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Coller</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Dupliquer</translation>
    </message>
    <message>
        <source>nothing to paste</source>
        <translation>rien à coller</translation>
    </message>
    <message>
        <source>Add frame</source>
        <translation>Ajouter un cadre</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Ajouter un commentaire</translation>
    </message>
    <message>
        <source>there is no frame %1</source>
        <translation>il n’y a pas de cadre %1</translation>
    </message>
    <message>
        <source>Edit frame</source>
        <translation>Modifier le cadre</translation>
    </message>
    <message>
        <source>there is no comment %1</source>
        <translation>il n’y a pas de commentaire %1</translation>
    </message>
    <message>
        <source>Edit comment</source>
        <translation>Modifier le commentaire</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Déplacer</translation>
    </message>
    <message>
        <source>%1 is already fed by them</source>
        <translation>%1 est déjà alimenté par eux</translation>
    </message>
    <message numerus="yes">
        <source>Drop %n node(s) on %1</source>
        <translation>
            <numerusform>Déposer %n nœud sur %1</numerusform>
            <numerusform>Déposer %n nœuds sur %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 of %n node(s)</source>
        <translation>
            <numerusform>Ajouter %1 de %n nœud</numerusform>
            <numerusform>Ajouter %1 de %n nœuds</numerusform>
        </translation>
    </message>
    <message>
        <source>the Search node or the merge it searched is no longer in the project</source>
        <translation>le nœud Recherche ou la fusion qu’il a explorée n’est plus dans le projet</translation>
    </message>
    <message>
        <source>the Search node or its merge changed since the search ran: run it again</source>
        <translation>le nœud Recherche ou sa fusion a changé depuis la recherche : l’exécuter à nouveau</translation>
    </message>
    <message>
        <source>Add the searched %1</source>
        <translation>Ajouter le %1 recherché</translation>
    </message>
</context>
<context>
    <name>mg::ui::PropertiesPanel</name>
    <message>
        <source>Range %1.</source>
        <translation>Plage %1.</translation>
    </message>
    <message>
        <source>Select a node to see and edit its properties.</source>
        <translation>Sélectionner un nœud pour voir et modifier ses propriétés.</translation>
    </message>
    <message>
        <source>Unknown node type “%1”</source>
        <translation>Type de nœud inconnu « %1 »</translation>
    </message>
    <message>
        <source>This version of Merganser does not know this type: the node is kept as it is and its parameters cannot be edited.</source>
        <translation>Cette version de Merganser ne connaît pas ce type : le nœud est gardé tel quel et ses paramètres ne peuvent pas être modifiés.</translation>
    </message>
    <message>
        <source>The name shown on the node</source>
        <translation>Le nom affiché sur le nœud</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Input weights</source>
        <translation>Poids des entrées</translation>
    </message>
    <message>
        <source>The weight of the model on input &apos;%1&apos; in the merge</source>
        <translation>Le poids du modèle sur l’entrée « %1 » dans la fusion</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Avertissement : %1</translation>
    </message>
</context>
<context>
    <name>mg::ui::QuickAddPalette</name>
    <message>
        <source>Add node: type to search</source>
        <translation>Ajouter un nœud : taper pour chercher</translation>
    </message>
    <message>
        <source>%1  —  %2</source>
        <translation>%1  —  %2</translation>
    </message>
</context>
<context>
    <name>mg::ui::ResultsPanel</name>
    <message>
        <source>No results yet. Connect a model and a Tasks source to an Evaluate node (several Evaluate nodes to a Compare node, or a Sweep over a parameter), or add an Embedding map, a Router, a Merge gain or a Fine-tune node, and run the project.</source>
        <translation>Pas encore de résultats. Relier un modèle et une source de tâches à un nœud Évaluer (plusieurs nœuds Évaluer à un nœud Comparer, ou un balayage d’un paramètre), ou ajouter une carte de plongements, un routeur, un nœud Gain de fusion ou Affinage, puis exécuter le projet.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparaison</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Balayage</translation>
    </message>
    <message>
        <source>Interference</source>
        <translation>Interférence</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>Routage</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Merge gain</source>
        <translation>Gain de fusion</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
</context>
<context>
    <name>mg::ui::RunController</name>
    <message>
        <source>Select the nodes to run first</source>
        <translation>Sélectionner d’abord les nœuds à exécuter</translation>
    </message>
    <message>
        <source>Nothing to run: add an Export (or another sink) node</source>
        <translation>Rien à exécuter : ajouter un nœud Exporter (ou une autre destination)</translation>
    </message>
    <message>
        <source>Engine running</source>
        <translation>Moteur en cours</translation>
    </message>
    <message>
        <source>Engine cancelling…</source>
        <translation>Interruption du moteur…</translation>
    </message>
    <message>
        <source>Cached results cleared: the next run runs every node</source>
        <translation>Résultats en cache effacés : la prochaine exécution exécutera chaque nœud</translation>
    </message>
    <message>
        <source>Running &apos;%1&apos; %2%</source>
        <translation>« %1 » en cours : %2&#xa0;%</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>Échec de l’exécution : %1</translation>
    </message>
    <message>
        <source>Run cancelled</source>
        <translation>Exécution interrompue</translation>
    </message>
    <message numerus="yes">
        <source>Run failed: %n node(s) failed</source>
        <translation>
            <numerusform>Échec de l’exécution : %n nœud en échec</numerusform>
            <numerusform>Échec de l’exécution : %n nœuds en échec</numerusform>
        </translation>
    </message>
    <message>
        <source>Run finished: %1 ran, %2 cached</source>
        <translation>Exécution terminée : %1 exécutés, %2 en cache</translation>
    </message>
    <message>
        <source>Out of date: an edit changed this node or its inputs. Run to update.</source>
        <translation>Périmé : une modification a touché ce nœud ou ses entrées. Exécuter pour mettre à jour.</translation>
    </message>
</context>
<context>
    <name>mg::ui::ScatterPlotView</name>
    <message>
        <source>least-squares line, r = %1</source>
        <translation>droite des moindres carrés, r = %1</translation>
    </message>
    <message>
        <source>least-squares line</source>
        <translation>droite des moindres carrés</translation>
    </message>
    <message>
        <source>. Click a point to select its nodes.</source>
        <translation>. Cliquer sur un point sélectionne ses nœuds.</translation>
    </message>
    <message>
        <source>no plot to export</source>
        <translation>aucun graphique à exporter</translation>
    </message>
</context>
<context>
    <name>mg::ui::SearchView</name>
    <message>
        <source>Add the winner to the graph</source>
        <translation>Ajouter le gagnant au graphe</translation>
    </message>
    <message>
        <source>A merge node beside the searched one, with the winning coefficients, ready to evaluate or export</source>
        <translation>Un nœud de fusion à côté de celui exploré, avec les coefficients gagnants, prêt à évaluer ou exporter</translation>
    </message>
    <message>
        <source>step</source>
        <translation>étape</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>candidat</translation>
    </message>
    <message>
        <source>entropy</source>
        <translation>entropie</translation>
    </message>
    <message>
        <source>best so far</source>
        <translation>meilleur jusqu’ici</translation>
    </message>
    <message>
        <source>Run a Search node to see its candidates here</source>
        <translation>Exécuter un nœud Recherche pour voir ses candidats ici</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>Winner: weights %1 — validation %2, test %3 (test examples scored once, for the winner only)</source>
        <translation>Gagnant : poids %1 — validation %2, test %3 (exemples de test évalués une seule fois, pour le gagnant seulement)</translation>
    </message>
</context>
<context>
    <name>mg::ui::SweepView</name>
    <message>
        <source>accuracy</source>
        <translation>exactitude</translation>
    </message>
    <message>
        <source>No sweep</source>
        <translation>Aucun balayage</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <source>Accuracy over %1</source>
        <translation>Exactitude selon %1</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Moyenne</translation>
    </message>
    <message numerus="yes">
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n point</numerusform>
            <numerusform>%n points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n point(s); best mean %1 at %2 = %3</source>
        <translation>
            <numerusform>%n point ; meilleure moyenne %1 à %2 = %3</numerusform>
            <numerusform>%n points ; meilleure moyenne %1 à %2 = %3</numerusform>
        </translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>non évalué</translation>
    </message>
    <message>
        <source>%1: there is no sweep to export</source>
        <translation>%1 : il n’y a pas de balayage à exporter</translation>
    </message>
</context>
<context>
    <name>mg::ui::TrainingView</name>
    <message>
        <source>Run a Fine-tune node to see its training curve here</source>
        <translation>Exécuter un nœud Affinage pour voir sa courbe d’entraînement ici</translation>
    </message>
    <message>
        <source>Training loss and validation accuracy</source>
        <translation>Perte d’entraînement et exactitude de validation</translation>
    </message>
    <message>
        <source>step</source>
        <translation>étape</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>perte d’entraînement</translation>
    </message>
    <message>
        <source>validation %</source>
        <translation>validation %</translation>
    </message>
    <message>
        <source> validation</source>
        <translation> validation</translation>
    </message>
    <message>
        <source> loss</source>
        <translation> perte</translation>
    </message>
    <message>
        <source>%1: best validation %2 at step %3</source>
        <translation>%1 : meilleure validation %2 à l’étape %3</translation>
    </message>
</context>
<context>
    <name>mg::ui::UserGuideWindow</name>
    <message>
        <source>Merganser User Guide</source>
        <translation>Guide de l’utilisateur de Merganser</translation>
    </message>
    <message>
        <source>The user guide is not installed (docs/guide.md in the sources).</source>
        <translation>Le guide de l’utilisateur n’est pas installé (docs/guide.md dans les sources).</translation>
    </message>
    <message>
        <source>The guide&apos;s pictures have not been made: run docs/make_screenshots.sh (it needs the demo zoo, which packaging/dev.sh run trains).</source>
        <translation>Les images du guide n’ont pas été créées : lancer docs/make_screenshots.sh (il faut le zoo de démonstration, que packaging/dev.sh run entraîne).</translation>
    </message>
</context>
</TS>
